package org.opendelegate.manager.delegates;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.opendelegate.protocol.Problem;

/**
 * What a token allows besides its group, checked: when it expires, how many of its delegates may be
 * connected at once, and whether it admits only one registration.
 *
 * @param expiresAt null: never
 * @param maxDelegates null: no limit
 */
record TokenSettings(Instant expiresAt, Integer maxDelegates, boolean singleUse) {
    static final int MAX_DELEGATES_LIMIT = 10_000;
    /** Expiry times further out than this are refused: they are typing mistakes, not plans. */
    static final Duration LONGEST_LIFETIME = Duration.ofDays(3660);

    /** Checks the settings of a request; adds one error per wrong field. */
    static TokenSettings check(TokenRequest r, Instant now, List<Problem.FieldError> errors) {
        return new TokenSettings(
                expiresAt(r.expiresAt(), now, errors),
                maxDelegates(r.maxDelegates(), errors),
                Boolean.TRUE.equals(r.singleUse()));
    }

    private static Instant expiresAt(String value, Instant now, List<Problem.FieldError> errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String shown = value.length() > 40 ? value.substring(0, 40) + "…" : value;
        Instant at;
        try {
            at = OffsetDateTime.parse(value.trim()).toInstant();
        } catch (DateTimeParseException e) {
            errors.add(new Problem.FieldError(
                    "expiresAt",
                    "(\"" + shown + "\") is not an ISO-8601 time with a zone such as 2027-01-31T18:00:00Z; "
                            + "leave it out for a token that does not expire."));
            return null;
        }
        if (!at.isAfter(now)) {
            errors.add(new Problem.FieldError(
                    "expiresAt",
                    "(" + at + ") is not in the future (it is " + now + " now); give a later time, or leave it out "
                            + "for a token that does not expire."));
            return null;
        }
        if (at.isAfter(now.plus(LONGEST_LIFETIME))) {
            errors.add(new Problem.FieldError(
                    "expiresAt",
                    "(" + at + ") is more than 10 years away; give an earlier time, or leave it out for a token "
                            + "that does not expire."));
            return null;
        }
        return at;
    }

    private static Integer maxDelegates(Integer value, List<Problem.FieldError> errors) {
        if (value != null && (value < 1 || value > MAX_DELEGATES_LIMIT)) {
            errors.add(new Problem.FieldError(
                    "maxDelegates",
                    "is " + value + "; it must be from 1 to " + MAX_DELEGATES_LIMIT + ", or left out for no limit."));
            return null;
        }
        return value;
    }
}
