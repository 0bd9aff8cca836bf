package org.opendelegate.protocol;

import java.util.List;

/**
 * An error body in the shape of RFC 9457 ({@code application/problem+json}), with two extensions:
 * a stable machine-readable {@code code} and the list of field {@code errors}.
 *
 * @param type a URI naming the kind of problem
 * @param title a short summary of the kind of problem
 * @param status the HTTP status
 * @param detail what went wrong in this case and what to do about it
 * @param code a stable code a program can act on, e.g. {@code LEASE_LOST}
 * @param errors the fields at fault, if any
 */
public record Problem(String type, String title, int status, String detail, String code, List<FieldError> errors) {
    /** The media type of problem bodies. */
    public static final String MEDIA_TYPE = "application/problem+json";

    /**
     * One field at fault.
     *
     * @param field the JSON path of the field, e.g. {@code selectors[2]}
     * @param message what is wrong and what would be right
     */
    public record FieldError(String field, String message) {}
}
