package org.opendelegate.manager.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.opendelegate.manager.delegates.DelegateAdmin;
import org.opendelegate.manager.delegates.DelegateTokens;
import org.opendelegate.manager.delegates.GroupView;
import org.opendelegate.manager.delegates.RotationView;
import org.opendelegate.manager.delegates.TokenDelegateView;
import org.opendelegate.manager.delegates.TokenRequest;
import org.opendelegate.manager.delegates.TokenView;
import org.opendelegate.manager.http.Routes;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.users.SignedIn;

/**
 * Setup → Delegate Tokens: list (status, limits, connected delegates, last use), create (the secret is
 * shown once), rotate (the new secret is shown once, with the delegates still on the old token) and revoke.
 */
public final class DelegateTokensPage implements Routes {
    /** Expiry choices of the create dialog: form value → lifetime. */
    static final Map<String, Duration> EXPIRY_CHOICES = Map.of(
            "1d", Duration.ofDays(1),
            "7d", Duration.ofDays(7),
            "30d", Duration.ofDays(30),
            "90d", Duration.ofDays(90),
            "365d", Duration.ofDays(365));

    /** The whole page. */
    public record TokensModel(Shell shell, TokenTable table, List<GroupView> groups) {}

    /**
     * The part that changes after create, rotate and revoke; {@code created} only right after a create,
     * {@code rotated} only right after a rotation.
     */
    public record TokenTable(List<TokenRow> tokens, boolean canChange, TokenView created, Rotated rotated) {}

    /** A rotation just done: the new token with its secret, and who still uses the old one until when. */
    public record Rotated(TokenView token, String replacedName, String replacedUntil, List<TokenDelegateView> still) {}

    /**
     * One token as a row.
     *
     * @param status {@code Active}, {@code Revoked}, {@code Expired} or {@code Used}
     * @param limits what the token allows besides its group, e.g. "single-use", "expires …", "max 5"
     * @param replacedBy the name of the token it was rotated to; null when not rotated
     * @param stillUsing for a rotated token that still works: the delegates registered with it
     */
    public record TokenRow(
            String id,
            String name,
            String group,
            String status,
            boolean active,
            String createdBy,
            String created,
            String createdExact,
            String lastUsed,
            String lastUsedExact,
            String revoked,
            List<String> limits,
            int connected,
            Integer maxDelegates,
            String replacedBy,
            String expiresExact,
            List<TokenDelegateView> stillUsing,
            boolean canRotate) {}

    private final DelegateTokens tokens;
    private final DelegateAdmin delegateAdmin;
    private final Pages pages;

    DelegateTokensPage(DelegateTokens tokens, DelegateAdmin delegateAdmin, Pages pages) {
        this.tokens = tokens;
        this.delegateAdmin = delegateAdmin;
        this.pages = pages;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/setup/delegate-tokens", ctx -> {
            SignedIn user = ConsoleRequests.signedIn(ctx);
            pages.render(
                    ctx,
                    "tokens/page.jte",
                    new TokensModel(
                            pages.shell(ctx, "Delegate Tokens", ConsoleNav.TOKENS),
                            table(user, null, null),
                            delegateAdmin.groups(user.accountId())));
        });
        routes.post("/setup/delegate-tokens", this::create);
        routes.post("/setup/delegate-tokens/rotate", this::rotate);
        routes.post("/setup/delegate-tokens/revoke", this::revoke);
    }

    private void create(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        TokenView created;
        try {
            created = tokens.create(user.principal(), request(ctx, pages.now()));
        } catch (DomainProblem e) {
            pages.formErrors(ctx, e, "#token-error");
            return;
        }
        Htmx.events().close("token-dialog").send(ctx);
        pages.render(ctx, "tokens/table.jte", table(user, created, null));
    }

    private void rotate(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        String tokenId = DelegatesPage.required(ctx, "tokenId");
        RotationView rotation = tokens.rotate(user.principal(), tokenId, graceSeconds(ctx.formParam("graceSeconds")));
        TokenView old = rotation.replaced();
        Htmx.events()
                .close("rotate-dialog-" + tokenId)
                .toast("Rotated " + old.name() + " to " + rotation.token().name() + ".")
                .send(ctx);
        Rotated rotated =
                new Rotated(rotation.token(), old.name(), Ago.exact(old.expiresAt()), rotation.stillUsingReplaced());
        pages.render(ctx, "tokens/table.jte", table(user, null, rotated));
    }

    private void revoke(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        TokenView revoked = tokens.revoke(user.principal(), DelegatesPage.required(ctx, "tokenId"));
        Htmx.events()
                .toast("Revoked delegate token " + revoked.name() + ". Delegates using it are refused within seconds.")
                .send(ctx);
        pages.render(ctx, "tokens/table.jte", table(user, null, null));
    }

    /** The create form as a token request; the expiry is a choice of lifetimes, counted from now. */
    static TokenRequest request(Context ctx, Instant now) {
        String expires = ctx.formParam("expires");
        String expiresAt = null;
        if (expires != null && !expires.isBlank()) {
            Duration lifetime = EXPIRY_CHOICES.get(expires);
            if (lifetime == null) {
                throw DomainProblem.invalidField("expiresAt", "must be one of the offered choices.");
            }
            expiresAt = now.plus(lifetime).toString();
        }
        String max = ctx.formParam("maxDelegates");
        Integer maxDelegates = null;
        if (max != null && !max.isBlank()) {
            try {
                maxDelegates = Integer.valueOf(max.trim());
            } catch (NumberFormatException e) {
                throw DomainProblem.invalidField(
                        "maxDelegates", "must be a whole number from 1 to 10000, or empty for no limit.");
            }
        }
        return new TokenRequest(
                ctx.formParam("name"),
                ctx.formParam("groupId"),
                expiresAt,
                maxDelegates,
                ctx.formParam("singleUse") != null);
    }

    private static Long graceSeconds(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Long.valueOf(value.trim());
        } catch (NumberFormatException e) {
            throw DomainProblem.invalidField("graceSeconds", "must be a number of seconds from 0 to 2592000.");
        }
    }

    private TokenTable table(SignedIn user, TokenView created, Rotated rotated) {
        Instant now = pages.now();
        Map<String, String> groupNames = new HashMap<>();
        delegateAdmin.groups(user.accountId()).forEach(g -> groupNames.put(g.id(), g.name()));
        List<TokenView> all = tokens.list(user.accountId());
        Map<String, String> tokenNames = new HashMap<>();
        all.forEach(t -> tokenNames.put(t.id(), t.name()));
        List<TokenRow> rows = all.stream()
                .sorted((a, b) -> b.createdAt().compareTo(a.createdAt()))
                .map(t -> row(user, t, groupNames, tokenNames, now))
                .toList();
        return new TokenTable(rows, user.canAdminister(), created, rotated);
    }

    private TokenRow row(
            SignedIn user, TokenView t, Map<String, String> groupNames, Map<String, String> tokenNames, Instant now) {
        boolean rotating = t.replacedBy() != null && t.active();
        List<String> limits = new ArrayList<>();
        if (t.singleUse()) {
            limits.add(t.usedAt() == null ? "single-use" : "single-use, used " + Ago.of(t.usedAt(), now));
        }
        if (t.expiresAt() != null) {
            limits.add((t.expiresAt().isAfter(now) ? "expires " : "expired ") + Ago.exact(t.expiresAt()));
        }
        return new TokenRow(
                t.id(),
                t.name(),
                t.groupId() == null ? null : groupNames.get(t.groupId()),
                label(t.status()),
                t.active(),
                t.createdBy(),
                Ago.of(t.createdAt(), now),
                Ago.exact(t.createdAt()),
                Ago.of(t.lastUsedAt(), now),
                Ago.exact(t.lastUsedAt()),
                t.revokedAt() == null ? null : Ago.of(t.revokedAt(), now),
                limits,
                t.connectedDelegates(),
                t.maxDelegates(),
                t.replacedBy() == null ? null : tokenNames.getOrDefault(t.replacedBy(), t.replacedBy()),
                Ago.exact(t.expiresAt()),
                rotating ? tokens.delegates(user.accountId(), t.id()) : List.of(),
                t.revokedAt() == null && t.replacedBy() == null);
    }

    private static String label(String status) {
        return status.charAt(0) + status.substring(1).toLowerCase(Locale.ROOT);
    }
}
