package org.opendelegate.manager.problems;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opendelegate.protocol.Problem;
import org.opendelegate.protocol.ProblemCodes;

/**
 * A request the Manager refuses, with a message a person can act on. Domain services throw it; they know
 * nothing of HTTP. The HTTP adapter maps the {@link ProblemKind} to a status code and renders the rest as
 * {@code application/problem+json}: the title, the stable {@link #code()}, the detail, the field errors
 * and any extension members.
 */
public final class DomainProblem extends RuntimeException {
    private final ProblemKind kind;
    private final String title;
    private final String code;
    private final List<Problem.FieldError> errors;
    private final Map<String, Object> extensions;

    public DomainProblem(ProblemKind kind, String title, String code, String detail) {
        this(kind, title, code, detail, List.of(), Map.of());
    }

    private DomainProblem(
            ProblemKind kind,
            String title,
            String code,
            String detail,
            List<Problem.FieldError> errors,
            Map<String, Object> extensions) {
        super(detail);
        this.kind = kind;
        this.title = title;
        this.code = code;
        this.errors = List.copyOf(errors);
        this.extensions = Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
    }

    /** One field is wrong. */
    public static DomainProblem invalidField(String field, String message) {
        return invalid(List.of(new Problem.FieldError(field, message)));
    }

    /** Several fields are wrong; the detail lists them all. */
    public static DomainProblem invalid(List<Problem.FieldError> errors) {
        StringBuilder detail = new StringBuilder();
        for (Problem.FieldError e : errors) {
            detail.append(detail.length() == 0 ? "" : "; ")
                    .append('`')
                    .append(e.field())
                    .append("` ")
                    .append(e.message());
        }
        return new DomainProblem(
                ProblemKind.INVALID,
                "Invalid request",
                ProblemCodes.INVALID_REQUEST,
                detail.toString(),
                errors,
                Map.of());
    }

    /**
     * Fields name things the account does not have (a task's secret reference, say); the detail lists them all.
     *
     * @param code the stable code, e.g. {@code UNKNOWN_SECRET}
     */
    public static DomainProblem unresolved(String code, String title, List<Problem.FieldError> errors) {
        return new DomainProblem(
                ProblemKind.UNRESOLVED_REFERENCE, title, code, invalid(errors).getMessage(), errors, Map.of());
    }

    /** The input is wrong, but not in one field (e.g. malformed JSON). */
    public static DomainProblem badRequest(String detail) {
        return new DomainProblem(ProblemKind.INVALID, "Bad request", ProblemCodes.INVALID_REQUEST, detail);
    }

    public static DomainProblem unauthorized(String detail) {
        return new DomainProblem(ProblemKind.UNAUTHORIZED, "Unauthorized", ProblemCodes.UNAUTHORIZED, detail);
    }

    public static DomainProblem forbidden(String detail) {
        return new DomainProblem(ProblemKind.FORBIDDEN, "Forbidden", "FORBIDDEN", detail);
    }

    /** Nothing of this kind has this id in the caller's account. */
    public static DomainProblem notFound(String what, String id) {
        return new DomainProblem(
                ProblemKind.NOT_FOUND,
                "Not found",
                "NOT_FOUND",
                "There is no " + what + " with id `" + id + "` in this account.");
    }

    public static DomainProblem conflict(String code, String detail) {
        return new DomainProblem(ProblemKind.CONFLICT, "Conflict", code, detail);
    }

    /**
     * A rate limit refused the call: try again after {@code retryAfter}. The body names the setting
     * ({@code limit}) and its value ({@code value}); {@code retryAfterSeconds} becomes the Retry-After header.
     */
    public static DomainProblem limitReached(String limit, long value, java.time.Duration retryAfter, String detail) {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        return new DomainProblem(
                ProblemKind.LIMIT_REACHED,
                "Limit reached",
                "LIMIT_REACHED",
                detail,
                List.of(),
                Map.of("limit", limit, "value", value, "retryAfterSeconds", seconds));
    }

    /**
     * A quota refused to create one more thing in the account. The body names the setting ({@code limit})
     * and its value ({@code value}).
     */
    public static DomainProblem quotaReached(String limit, long value, String detail) {
        return new DomainProblem(
                ProblemKind.QUOTA_REACHED,
                "Quota reached",
                "QUOTA_REACHED",
                detail,
                List.of(),
                Map.of("limit", limit, "value", value));
    }

    /**
     * The same problem with more members in its body (RFC 9457 extension members), e.g. the id of the task
     * that failed and its selection log.
     */
    public DomainProblem with(Map<String, Object> more) {
        Map<String, Object> all = new LinkedHashMap<>(extensions);
        all.putAll(more);
        return new DomainProblem(kind, title, code, getMessage(), errors, all);
    }

    public ProblemKind kind() {
        return kind;
    }

    public String title() {
        return title;
    }

    /** The stable, machine-readable code, e.g. {@code INVALID_REQUEST} or {@code LEASE_LOST}. */
    public String code() {
        return code;
    }

    /** What is wrong and what to do, for a person. */
    public String detail() {
        return getMessage();
    }

    /** The fields that are wrong; empty when the problem is not about fields. */
    public List<Problem.FieldError> errors() {
        return errors;
    }

    /** Extension members of the problem body; empty for most problems. */
    public Map<String, Object> extensions() {
        return extensions;
    }

    /**
     * True when a form can show this next to its fields: the input is wrong, clashes with what exists, or
     * would go over a quota.
     */
    public boolean isAboutInput() {
        return kind == ProblemKind.INVALID || kind == ProblemKind.CONFLICT || kind == ProblemKind.QUOTA_REACHED;
    }
}
