package org.opendelegate.manager.delegates;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.security.Principal;
import org.opendelegate.manager.security.Secrets;
import org.opendelegate.manager.store.AuditDao;
import org.opendelegate.manager.store.DelegateToken;
import org.opendelegate.manager.store.DelegateTokenDao;

/**
 * Rotating a delegate token: a new token with the old one's group binding and settings (and its lifetime,
 * counted from now, when it had one) is created, and the old one keeps working until the end of a grace
 * period, then expires; its delegates' sessions end when they next call. The new token is named after the
 * old one with a rotation suffix ({@code ecs-prod} → {@code ecs-prod-r2} → {@code ecs-prod-r3}).
 */
final class TokenRotation {
    /** The grace period when the request names none: a day to restart delegates with the new secret. */
    static final Duration DEFAULT_GRACE = Duration.ofDays(1);

    static final Duration LONGEST_GRACE = Duration.ofDays(30);
    private static final Pattern SUFFIX = Pattern.compile("^(.*)-r(\\d{1,6})$");

    /** The new token and its secret. */
    record Rotated(DelegateToken successor, String secret) {}

    private final DelegateTokenDao tokens;
    private final AuditDao audit;
    private final Clock clock;

    TokenRotation(DelegateTokenDao tokens, AuditDao audit, Clock clock) {
        this.tokens = tokens;
        this.audit = audit;
        this.clock = clock;
    }

    Rotated rotate(Principal principal, DelegateToken old, Long graceSeconds) {
        Duration grace = grace(graceSeconds);
        Instant now = clock.instant();
        if (old.revoked()) {
            throw DomainProblem.conflict(
                    "ALREADY_REVOKED",
                    "The delegate token `" + old.name() + "` is revoked; a revoked token is not rotated. Create a "
                            + "new token instead.");
        }
        if (old.replacedBy() != null) {
            String successor = tokens.find(old.accountId(), old.replacedBy())
                    .map(DelegateToken::name)
                    .orElse(old.replacedBy());
            throw DomainProblem.conflict(
                    "ALREADY_ROTATED",
                    "The delegate token `" + old.name() + "` was rotated already, to `" + successor
                            + "`; rotate that one instead.");
        }
        Instant successorExpiry =
                old.expiresAt() == null ? null : now.plus(Duration.between(old.createdAt(), old.expiresAt()));
        String secret = Secrets.generate(Secrets.DELEGATE_TOKEN_PREFIX);
        DelegateToken successor = new DelegateToken(
                Secrets.newId(),
                old.accountId(),
                successorName(old),
                old.groupId(),
                principal.actor(),
                now,
                null,
                null,
                successorExpiry,
                old.maxDelegates(),
                old.singleUse(),
                null,
                null,
                null,
                old.id());
        Instant oldExpiry = now.plus(grace);
        if (!tokens.rotate(successor, Secrets.hash(secret), oldExpiry)) {
            throw DomainProblem.conflict(
                    "ALREADY_ROTATED",
                    "The delegate token `" + old.name() + "` was rotated or revoked meanwhile; reload the tokens.");
        }
        audit.record(
                old.accountId(),
                now,
                principal.actor(),
                "delegate-token.created",
                "delegate-token",
                successor.id(),
                describe(successor) + " rotatedFrom=" + old.name());
        audit.record(
                old.accountId(),
                now,
                principal.actor(),
                "delegate-token.rotated",
                "delegate-token",
                old.id(),
                "name=" + old.name() + " successor=" + successor.name() + " graceSeconds=" + grace.toSeconds()
                        + " expiresAt="
                        + (old.expiresAt() != null && old.expiresAt().isBefore(oldExpiry)
                                ? old.expiresAt()
                                : oldExpiry));
        return new Rotated(successor, secret);
    }

    /** The audit detail of a new token: its name and every setting. */
    static String describe(DelegateToken t) {
        return "name=" + t.name() + " group=" + (t.groupId() == null ? "any" : t.groupId()) + " expiresAt="
                + (t.expiresAt() == null ? "never" : t.expiresAt()) + " maxDelegates="
                + (t.maxDelegates() == null ? "none" : t.maxDelegates()) + " singleUse=" + t.singleUse();
    }

    private static Duration grace(Long graceSeconds) {
        if (graceSeconds == null) {
            return DEFAULT_GRACE;
        }
        if (graceSeconds < 0 || graceSeconds > LONGEST_GRACE.toSeconds()) {
            throw DomainProblem.invalidField(
                    "graceSeconds",
                    "is " + graceSeconds + "; it must be from 0 (the old token stops at once) to "
                            + LONGEST_GRACE.toSeconds() + " (30 days), or left out for "
                            + DEFAULT_GRACE.toSeconds() + " (one day).");
        }
        return Duration.ofSeconds(graceSeconds);
    }

    /** The old name with the next rotation suffix, shortened to fit 100 characters, and not taken. */
    private String successorName(DelegateToken old) {
        Matcher m = SUFFIX.matcher(old.name());
        String base = m.matches() ? m.group(1) : old.name();
        int n = m.matches() ? Integer.parseInt(m.group(2)) + 1 : 2;
        while (true) {
            String suffix = "-r" + n;
            String name = base.substring(0, Math.min(base.length(), 100 - suffix.length())) + suffix;
            if (tokens.findByName(old.accountId(), name).isEmpty()) {
                return name;
            }
            n++;
        }
    }
}
