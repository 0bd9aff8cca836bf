package org.opendelegate.manager.audit;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.security.Permission;
import org.opendelegate.manager.security.Principal;
import org.opendelegate.manager.store.AuditDao;
import org.opendelegate.manager.store.AuditEvent;
import org.opendelegate.manager.store.AuditFilter;
import org.opendelegate.protocol.Problem;

/**
 * Reading the audit trail: who did what to which target and when, filtered and paged newest first. Only
 * admins read it (it names every user and what failed to sign in). The REST API and the console both go
 * through here, so a filter means the same in both and a bad one is refused the same way.
 */
public final class AuditTrail {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;

    private static final Pattern ACTION = Pattern.compile("[a-z0-9][a-z0-9._-]{0,98}\\*?");
    private static final Pattern TARGET_TYPE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,49}");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    private final AuditDao audit;

    public AuditTrail(AuditDao audit) {
        this.audit = audit;
    }

    /** The events the query selects in the principal's account (admins, operators); a bad filter is a 400. */
    public AuditEvents search(Principal principal, AuditQuery query) {
        principal.require(Permission.READ_AUDIT);
        List<Problem.FieldError> errors = new ArrayList<>();
        String actor = text(errors, "actor", query.actor(), 200);
        String action = pattern(
                errors,
                "action",
                query.action(),
                ACTION,
                "an action such as `user.disabled`, " + "or a kind of action ending in `*` such as `delegate-token.*`");
        String targetType = pattern(
                errors,
                "targetType",
                query.targetType(),
                TARGET_TYPE,
                "a target type such as `user`, `delegate-group` or `delegate-token`");
        String targetId = text(errors, "targetId", query.targetId(), 64);
        Instant from = instant(errors, "from", query.from());
        Instant to = instant(errors, "to", query.to());
        Long before = number(errors, "before", query.before(), Long.MAX_VALUE);
        Long limit = number(errors, "limit", query.limit(), MAX_LIMIT);
        if (from != null && to != null && !from.isBefore(to)) {
            errors.add(new Problem.FieldError("to", "(" + to + ") must be after `from` (" + from + ")."));
        }
        if (!errors.isEmpty()) {
            throw DomainProblem.invalid(errors);
        }
        int size = limit == null ? DEFAULT_LIMIT : limit.intValue();
        boolean prefix = action != null && action.endsWith("*");
        List<AuditEvent> found = audit.search(new AuditFilter(
                principal.accountId(),
                actor,
                prefix ? action.substring(0, action.length() - 1) : action,
                prefix,
                targetType,
                targetId,
                from,
                to,
                before,
                size + 1));
        List<AuditEntry> events = found.stream().limit(size).map(AuditEntry::of).toList();
        Long next = found.size() > size ? events.get(events.size() - 1).id() : null;
        return new AuditEvents(events, next, size);
    }

    private static String text(List<Problem.FieldError> errors, String field, String raw, int max) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        if (raw.length() > max) {
            errors.add(new Problem.FieldError(field, "has " + raw.length() + " characters; at most " + max + "."));
            return null;
        }
        if (CONTROL.matcher(raw).find()) {
            errors.add(new Problem.FieldError(field, "must not contain control characters."));
            return null;
        }
        return raw.trim();
    }

    private static String pattern(List<Problem.FieldError> errors, String field, String raw, Pattern p, String rule) {
        String value = text(errors, field, raw, 100);
        if (value != null && !p.matcher(value).matches()) {
            errors.add(new Problem.FieldError(field, "(\"" + value + "\") must be " + rule + "."));
            return null;
        }
        return value;
    }

    private static Instant instant(List<Problem.FieldError> errors, String field, String raw) {
        String value = text(errors, field, raw, 40);
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            errors.add(new Problem.FieldError(
                    field, "(\"" + value + "\") must be an ISO-8601 time in UTC, e.g. 2026-12-04T18:00:00Z."));
            return null;
        }
    }

    private static Long number(List<Problem.FieldError> errors, String field, String raw, long max) {
        String value = text(errors, field, raw, 20);
        if (value == null) {
            return null;
        }
        try {
            long n = Long.parseLong(value);
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // Said below, with the rule.
        }
        errors.add(new Problem.FieldError(
                field,
                "(\"" + value + "\") must be a whole number from 1" + (max == Long.MAX_VALUE ? "" : " to " + max)
                        + "."));
        return null;
    }
}
