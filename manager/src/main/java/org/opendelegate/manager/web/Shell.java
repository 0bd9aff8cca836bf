package org.opendelegate.manager.web;

import java.util.List;
import org.opendelegate.manager.users.SignedIn;

/**
 * What every console page's frame needs: the title, which navigation entry is current, who is signed
 * in, and the version that busts asset caches.
 */
public record Shell(String title, String current, SignedIn user, String version) {

    /** The navigation, by section. Pages other issues add (Tasks, Delegate Profiles, ...) go here. */
    public List<NavSection> nav() {
        if (user.canReadAudit()) {
            return ConsoleNav.SECTIONS;
        }
        return ConsoleNav.SECTIONS.stream()
                .map(s -> new NavSection(
                        s.title(),
                        s.items().stream()
                                .filter(i -> !ConsoleNav.AUDIT_READERS_ONLY.contains(i.key()))
                                .toList()))
                .toList();
    }

    public String csrfToken() {
        return user.csrfToken();
    }

    /** The signed-in user may manage the account (users, tokens, groups, profiles, providers). */
    public boolean canAdminister() {
        return user.canAdminister();
    }

    /** The signed-in user may run and cancel tasks (admins and operators). */
    public boolean canRunTasks() {
        return user.canRunTasks();
    }

    /** A navigation section and its entries. */
    public record NavSection(String title, List<NavItem> items) {}

    /** One entry: {@code key} is matched against {@link Shell#current()}. */
    public record NavItem(String key, String label, String href, String icon) {}
}
