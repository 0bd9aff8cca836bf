package org.opendelegate.manager.http;

import java.util.List;
import org.opendelegate.protocol.Problem;
import org.opendelegate.protocol.ProblemCodes;

/**
 * An error a request caused, with the HTTP status and a message a person can act on. Resources throw
 * it; {@link ProblemRenderer} turns it into {@code application/problem+json}.
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String title;
    private final String code;
    private final List<Problem.FieldError> errors;
    private final java.util.Map<String, Object> extensions;

    public ApiException(int status, String title, String code, String detail, List<Problem.FieldError> errors) {
        this(status, title, code, detail, errors, java.util.Map.of());
    }

    private ApiException(int status, String title, String code, String detail, List<Problem.FieldError> errors,
            java.util.Map<String, Object> extensions) {
        super(detail);
        this.status = status;
        this.title = title;
        this.code = code;
        this.errors = List.copyOf(errors);
        this.extensions = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(extensions));
    }

    /**
     * The same problem with more members in its body (RFC 9457 extension members), e.g. the id of the task that
     * failed and its selection log.
     */
    public ApiException with(java.util.Map<String, Object> more) {
        java.util.Map<String, Object> all = new java.util.LinkedHashMap<>(extensions);
        all.putAll(more);
        return new ApiException(status, title, code, getMessage(), errors, all);
    }

    /** Extension members of the problem body; empty for most problems. */
    public java.util.Map<String, Object> extensions() {
        return extensions;
    }

    /** 400: one field is wrong. */
    public static ApiException invalidField(String field, String message) {
        return invalid(List.of(new Problem.FieldError(field, message)));
    }

    /** 400: several fields are wrong; the detail lists them all. */
    public static ApiException invalid(List<Problem.FieldError> errors) {
        StringBuilder detail = new StringBuilder();
        for (Problem.FieldError e : errors) {
            detail.append(detail.length() == 0 ? "" : "; ").append('`').append(e.field()).append("` ")
                    .append(e.message());
        }
        return new ApiException(400, "Invalid request", ProblemCodes.INVALID_REQUEST, detail.toString(), errors);
    }

    /** 400 without a specific field (e.g. malformed JSON). */
    public static ApiException badRequest(String detail) {
        return new ApiException(400, "Bad request", ProblemCodes.INVALID_REQUEST, detail, List.of());
    }

    public static ApiException unauthorized(String detail) {
        return new ApiException(401, "Unauthorized", ProblemCodes.UNAUTHORIZED, detail, List.of());
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(403, "Forbidden", "FORBIDDEN", detail, List.of());
    }

    public static ApiException notFound(String what, String id) {
        return new ApiException(404, "Not found", "NOT_FOUND",
                "There is no " + what + " with id `" + id + "` in this account.", List.of());
    }

    public static ApiException conflict(String code, String detail) {
        return new ApiException(409, "Conflict", code, detail, List.of());
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String code() {
        return code;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }

    /** The problem body for this exception. */
    public Problem toProblem() {
        return new Problem("about:blank", title, status, getMessage(), code, errors.isEmpty() ? null : errors);
    }
}
