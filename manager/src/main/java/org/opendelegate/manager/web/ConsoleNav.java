package org.opendelegate.manager.web;

import java.util.List;
import java.util.Set;
import org.opendelegate.manager.web.Shell.NavItem;
import org.opendelegate.manager.web.Shell.NavSection;

/** The console's navigation. One list, so a new page is one line here plus its routes. */
final class ConsoleNav {
    static final String TASKS = "tasks";
    static final String DEPLOYMENTS = "deployments";
    static final String DELEGATES = "delegates";
    static final String TOKENS = "delegate-tokens";
    static final String PROFILES = "delegate-profiles";
    static final String CLOUD_PROVIDERS = "cloud-providers";
    static final String SECRETS = "secrets";
    static final String USERS = "users";
    static final String AUDIT = "audit";
    static final String LIMITS = "limits";

    /** Entries only those who may read the audit trail see (admins, operators; the page refuses others). */
    static final Set<String> AUDIT_READERS_ONLY = Set.of(AUDIT);

    static final List<NavSection> SECTIONS = List.of(
            new NavSection(
                    "",
                    List.of(
                            new NavItem(TASKS, "Tasks", "/tasks", "tasks"),
                            new NavItem(DEPLOYMENTS, "Deployments", "/deployments", "deploy"))),
            new NavSection(
                    "Setup",
                    List.of(
                            new NavItem(DELEGATES, "Delegates", "/setup/delegates", "delegates"),
                            new NavItem(PROFILES, "Delegate Profiles", "/setup/delegate-profiles", "profile"),
                            new NavItem(TOKENS, "Delegate Tokens", "/setup/delegate-tokens", "key"),
                            new NavItem(CLOUD_PROVIDERS, "Cloud Providers", "/setup/cloud-providers", "cloud"),
                            new NavItem(SECRETS, "Secrets", "/setup/secrets", "key"))),
            new NavSection(
                    "Administration",
                    List.of(
                            new NavItem(USERS, "Users", "/setup/users", "users"),
                            new NavItem(AUDIT, "Audit", "/setup/audit", "history"),
                            new NavItem(LIMITS, "Limits", "/setup/limits", "server"))));

    private ConsoleNav() {}
}
