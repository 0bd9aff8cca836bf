package org.opendelegate.manager.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.opendelegate.manager.audit.AuditEvents;
import org.opendelegate.manager.audit.AuditQuery;
import org.opendelegate.manager.audit.AuditTrail;
import org.opendelegate.manager.delegates.DelegateAdmin;
import org.opendelegate.manager.delegates.DelegateTokens;
import org.opendelegate.manager.http.Routes;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.security.Permission;
import org.opendelegate.manager.users.SignedIn;
import org.opendelegate.manager.users.UserAccounts;
import org.opendelegate.protocol.Problem;

/**
 * Administration → Audit: the audit trail as a table, with the API's filters as a plain GET form (so a
 * filtered view is a link one can bookmark or share) and "Older" paging. Admins only, like the API.
 */
public final class AuditPage implements Routes {
    /** The whole page: the filters as sent, the rows, the link to older events, and bad filters if any. */
    public record AuditModel(
            Shell shell, AuditQuery filter, List<AuditRow> rows, String olderHref, List<Problem.FieldError> errors) {

        public boolean filtered() {
            return !filter.equals(AuditQuery.NONE);
        }
    }

    /** One event as a row; actor and target by name where the console knows it. */
    public record AuditRow(
            long id,
            String at,
            String atExact,
            String actor,
            String action,
            String targetType,
            String target,
            String targetId,
            String detail) {}

    private final AuditTrail trail;
    private final UserAccounts users;
    private final DelegateAdmin delegateAdmin;
    private final DelegateTokens tokens;
    private final Pages pages;

    AuditPage(AuditTrail trail, UserAccounts users, DelegateAdmin delegateAdmin, DelegateTokens tokens, Pages pages) {
        this.trail = trail;
        this.users = users;
        this.delegateAdmin = delegateAdmin;
        this.tokens = tokens;
        this.pages = pages;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/setup/audit", this::show);
    }

    private void show(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        user.principal().require(Permission.READ_AUDIT);
        AuditQuery filter = new AuditQuery(
                param(ctx, "actor"),
                param(ctx, "action"),
                param(ctx, "targetType"),
                param(ctx, "targetId"),
                param(ctx, "from"),
                param(ctx, "to"),
                param(ctx, "before"),
                param(ctx, "limit"));
        Shell shell = pages.shell(ctx, "Audit", ConsoleNav.AUDIT);
        AuditEvents page;
        try {
            page = trail.search(user.principal(), filter);
        } catch (DomainProblem e) {
            ctx.status(400);
            pages.render(ctx, "audit/page.jte", new AuditModel(shell, filter, List.of(), null, e.errors()));
            return;
        }
        Map<String, String> names = names(user.accountId());
        Instant now = pages.now();
        List<AuditRow> rows = page.events().stream()
                .map(e -> new AuditRow(
                        e.id(),
                        Ago.of(e.at(), now),
                        Ago.exact(e.at()),
                        e.actor(),
                        e.action(),
                        e.targetType(),
                        e.targetId() == null ? "" : names.getOrDefault(e.targetId(), e.targetId()),
                        e.targetId() == null ? "" : e.targetId(),
                        e.detail() == null ? "" : e.detail()))
                .toList();
        String older = page.nextBefore() == null ? null : olderHref(filter, page.nextBefore());
        pages.render(ctx, "audit/page.jte", new AuditModel(shell, filter, rows, older, List.of()));
    }

    /** Names of the targets the console lists anyway (users, groups, tokens): a few cheap queries. */
    private Map<String, String> names(String accountId) {
        Map<String, String> names = new HashMap<>();
        users.list(accountId).forEach(u -> names.put(u.id(), u.username()));
        delegateAdmin.groups(accountId).forEach(g -> names.put(g.id(), g.name()));
        tokens.list(accountId).forEach(t -> names.put(t.id(), t.name()));
        return names;
    }

    private static String olderHref(AuditQuery f, long before) {
        StringBuilder href = new StringBuilder("/setup/audit?before=" + before);
        add(href, "actor", f.actor());
        add(href, "action", f.action());
        add(href, "targetType", f.targetType());
        add(href, "targetId", f.targetId());
        add(href, "from", f.from());
        add(href, "to", f.to());
        add(href, "limit", f.limit());
        return href.toString();
    }

    private static void add(StringBuilder href, String name, String value) {
        if (value != null) {
            href.append('&').append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }

    /** A query parameter, or null when absent or blank (an empty form field filters nothing). */
    private static String param(Context ctx, String name) {
        String value = ctx.queryParam(name);
        return value == null || value.isBlank() ? null : value;
    }
}
