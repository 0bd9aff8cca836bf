package org.opendelegate.manager.installers;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.opendelegate.manager.delegates.DelegateTokens;
import org.opendelegate.manager.delegates.TokenView;
import org.opendelegate.manager.limits.Quota;
import org.opendelegate.manager.limits.Quotas;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.security.Principal;
import org.opendelegate.manager.store.DelegateGroup;

/**
 * The delegate token of a download: a new, named, revocable token bound to the download's group, or an
 * existing one the user picked. New tokens show up in the tokens list like any other. They are multi-use
 * and do not expire: the token goes into a task definition or a start script that every replaced, scaled
 * or restarted delegate registers with again; an admin limits or rotates it in Setup → Delegate Tokens.
 */
final class InstallerTokens {
    private static final Pattern NAME = Pattern.compile("[^\\p{Cntrl}]{1,100}");
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    /**
     * The token a download uses.
     *
     * @param secret the secret of a new token; null for an existing one (its secret lives in AWS)
     */
    record Issued(String id, String name, String secret) {}

    private final DelegateTokens tokens;
    private final Clock clock;
    private final Quotas quotas;

    InstallerTokens(DelegateTokens tokens, Clock clock, Quotas quotas) {
        this.quotas = quotas;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** Checks a requested token name; null when none was given. */
    static String checkName(FieldChecks c, String name) {
        String v = FieldChecks.blankToNull(name);
        if (v != null && !NAME.matcher(v).matches()) {
            c.error("tokenName", "must be 1 to 100 characters without control characters.");
            return null;
        }
        return v;
    }

    /**
     * Checks what can be checked before anything is written: a chosen new name must be free, and a picked
     * token must be active and allowed in the group (an account-wide token cannot join a locked group).
     *
     * @return true when the download's token is bound to the group (a new token, or a picked token of
     *     the group), so that a group the download creates can be locked; false for a picked account-wide
     *     token, whose delegates could not join a locked group
     */
    boolean precheck(
            Principal principal,
            Optional<DelegateGroup> existingGroup,
            String groupName,
            String tokenId,
            String tokenName) {
        List<TokenView> all = tokens.list(principal.accountId());
        if (tokenName != null && all.stream().anyMatch(t -> t.name().equals(tokenName))) {
            throw DomainProblem.conflict(
                    "DUPLICATE_NAME",
                    "A delegate token named `" + tokenName
                            + "` already exists; pick another name, or leave tokenName blank for a generated one.");
        }
        // The group and the token are made one after the other: both must have room before either is.
        if (existingGroup.isEmpty()) {
            quotas.requireRoom(Quota.GROUPS, principal.accountId(), principal.actor(), groupName);
        }
        if (tokenId == null) {
            quotas.requireRoom(
                    Quota.DELEGATE_TOKENS,
                    principal.accountId(),
                    principal.actor(),
                    tokenName != null ? tokenName : groupName + " (new token)");
        }
        if (tokenId != null) {
            TokenView token = all.stream()
                    .filter(t -> t.id().equals(tokenId))
                    .findFirst()
                    .orElseThrow(
                            () -> DomainProblem.invalidField("tokenId", "names no delegate token of this account."));
            if (!token.active()) {
                throw DomainProblem.invalidField(
                        "tokenId",
                        "names the token `" + token.name() + "`, which is "
                                + token.status().toLowerCase(Locale.ROOT)
                                + "; pick an active token, or leave tokenId out to get a new one.");
            }
            if (token.singleUse()) {
                // An ECS service replaces and scales its tasks, and every task registers with the token in
                // the task definition: a single-use token would admit only the first one.
                throw DomainProblem.invalidField(
                        "tokenId",
                        "names the single-use token `" + token.name() + "`; every delegate the download starts "
                                + "registers with it, so pick a multi-use token, or leave tokenId out to get a new "
                                + "one.");
            }
            if (token.replacedBy() != null) {
                throw DomainProblem.invalidField(
                        "tokenId",
                        "names the token `" + token.name() + "`, which was rotated and stops working at "
                                + token.expiresAt() + "; pick the token that replaced it.");
            }
            String groupId = existingGroup.map(DelegateGroup::id).orElse(null);
            if (token.groupId() != null && !token.groupId().equals(groupId)) {
                throw DomainProblem.invalidField(
                        "tokenId",
                        "is bound to another delegate group, so delegates of `"
                                + groupName
                                + "` could not register with it; pick a token of this group or one bound to "
                                + "no group.");
            }
            if (token.groupId() == null
                    && existingGroup.map(DelegateGroup::locked).orElse(false)) {
                throw DomainProblem.invalidField(
                        "tokenId",
                        "names the account-wide token `" + token.name() + "`, but group `" + groupName
                                + "` is locked: only tokens bound to it may register delegates into it. Leave "
                                + "tokenId out to get a new token bound to the group, or pick one of its tokens.");
            }
            return token.groupId() != null;
        }
        return true;
    }

    /** The token for a download into {@code group}: the picked one, or a new one bound to the group. */
    Issued issue(Principal principal, DelegateGroup group, String tokenId, String tokenName, String kind) {
        if (tokenId != null) {
            TokenView token = tokens.list(principal.accountId()).stream()
                    .filter(t -> t.id().equals(tokenId))
                    .findFirst()
                    .orElseThrow(
                            () -> DomainProblem.invalidField("tokenId", "names no delegate token of this account."));
            return new Issued(token.id(), token.name(), null);
        }
        String name = tokenName != null
                ? tokenName
                : freeName(principal, group.name() + "-" + kind + "-" + STAMP.format(clock.instant()));
        TokenView created = tokens.create(principal, name, group.id());
        return new Issued(created.id(), created.name(), created.token());
    }

    private String freeName(Principal principal, String base) {
        Set<String> taken =
                tokens.list(principal.accountId()).stream().map(TokenView::name).collect(Collectors.toSet());
        String name = base;
        for (int i = 2; taken.contains(name); i++) {
            name = base + "-" + i;
        }
        return name;
    }
}
