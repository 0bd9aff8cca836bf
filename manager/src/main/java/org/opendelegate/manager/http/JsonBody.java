package org.opendelegate.manager.http;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.problems.ProblemKind;
import org.opendelegate.protocol.ProtocolJson;

/**
 * Reads request bodies strictly: JSON only, no unknown fields, no wrong types, and an error that names
 * the field and says what would be right.
 */
public final class JsonBody {
    /** The largest body accepted, 1 MiB. */
    public static final int MAX_BYTES = 1024 * 1024;

    private JsonBody() {}

    /**
     * Bodies up to this size are read into an array of the length they declare. Larger ones are read as their
     * bytes arrive, so that a declared length alone (headers are cheap to send) never makes the Manager set aside
     * up to {@link #MAX_BYTES}.
     */
    static final int READ_AT_ONCE_BYTES = 16 * 1024;

    /** Parses the body as {@code type}, or throws a {@link DomainProblem} explaining what is wrong. */
    public static <T> T read(Context ctx, Class<T> type) {
        requireJson(ctx);
        byte[] body = bytes(ctx);
        if (body.length == 0) {
            throw DomainProblem.badRequest("The request body is empty; send a JSON object.");
        }
        return parse(body, type);
    }

    /** Like {@link #read}, for a body that may be left out: null when the request has none. */
    public static <T> T readIfSent(Context ctx, Class<T> type) {
        byte[] body = bytes(ctx);
        if (body.length == 0) {
            return null;
        }
        requireJson(ctx);
        return parse(body, type);
    }

    private static void requireJson(Context ctx) {
        String contentType = ctx.contentType();
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new DomainProblem(
                    ProblemKind.UNSUPPORTED_FORMAT,
                    "Unsupported media type",
                    "UNSUPPORTED_MEDIA_TYPE",
                    "Send the body as JSON with the header `Content-Type: application/json`.");
        }
    }

    /**
     * The request body, read here rather than by Javalin ({@code ctx.bodyAsBytes()}), which copies every body
     * through a new 8 KiB array and a growing buffer: at 10,000 delegates that was a sixth of all the Manager
     * allocated, for heartbeats of a few hundred bytes. A small body with a declared length is read into an array
     * of that length; any other up to one byte past the limit, as it arrives.
     */
    private static byte[] bytes(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > MAX_BYTES) {
            throw tooLarge(declared + " bytes");
        }
        byte[] body;
        try {
            body = ctx.req()
                    .getInputStream()
                    .readNBytes(declared >= 0 && declared <= READ_AT_ONCE_BYTES ? (int) declared : MAX_BYTES + 1);
        } catch (IOException e) {
            // ProblemRenderer answers by the cause: the body guard's BodyTooSlow, a client that hung up, a malformed
            // chunk. Jetty's idle timeout while the body is awaited (the guard shortens it to the body's time left)
            // is the body guard's refusal too.
            throw new UncheckedIOException(
                    e.getCause() instanceof TimeoutException idle
                            ? new BodyTooSlow("no more of the request body arrived before the connection's idle"
                                    + " timeout (" + idle.getMessage() + ")")
                            : e);
        }
        if (body.length > MAX_BYTES) {
            throw tooLarge("more than " + MAX_BYTES + " bytes");
        }
        return body;
    }

    private static DomainProblem tooLarge(String size) {
        return new DomainProblem(
                ProblemKind.TOO_LARGE,
                "Payload too large",
                "PAYLOAD_TOO_LARGE",
                "The request body has " + size + "; send at most " + MAX_BYTES + ".");
    }

    private static <T> T parse(byte[] body, Class<T> type) {
        try {
            T value = ProtocolJson.mapper().readValue(body, type);
            if (value == null) {
                throw DomainProblem.badRequest("The request body is `null`; send a JSON object.");
            }
            return value;
        } catch (IOException e) {
            throw explain(e);
        }
    }

    static DomainProblem explain(IOException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            List<String> known = new ArrayList<>();
            u.getKnownPropertyIds().forEach(id -> known.add(String.valueOf(id)));
            known.sort(null);
            return DomainProblem.invalidField(
                    path(u), "is not a known field; remove it. Known fields here: " + String.join(", ", known) + ".");
        }
        if (e instanceof InvalidFormatException f) {
            return DomainProblem.invalidField(
                    path(f),
                    "has the value " + quote(f.getValue()) + ", which is not a " + describe(f.getTargetType()) + ".");
        }
        if (e instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            return DomainProblem.invalidField(
                    path(m), "has the wrong type; expected " + describe(m.getTargetType()) + ".");
        }
        if (e instanceof ValueInstantiationException v && !v.getPath().isEmpty()) {
            // A record refused its own values: its IllegalArgumentException says why; anything else it threw is
            // ours to fix, and its Java text is no help to the caller.
            String why = v.getCause() instanceof IllegalArgumentException a && a.getMessage() != null
                    ? a.getMessage()
                    : "is not a valid " + describe(v.getType().getRawClass()) + ".";
            return DomainProblem.invalidField(path(v), why);
        }
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty() && m.getOriginalMessage() != null) {
            // A value the strict reader refused for what it holds (a control character, half a character).
            return DomainProblem.invalidField(path(m), m.getOriginalMessage() + ".");
        }
        if (e instanceof StreamConstraintsException c) {
            return DomainProblem.badRequest("The body is refused: " + c.getOriginalMessage()
                    + " Send at most " + ProtocolJson.MAX_DEPTH + " levels of nesting and numbers of at most "
                    + ProtocolJson.MAX_NUMBER_LENGTH + " digits.");
        }
        if (e instanceof JsonParseException p) {
            return DomainProblem.badRequest("The body is not valid JSON: " + p.getOriginalMessage() + " (line "
                    + p.getLocation().getLineNr() + ", column "
                    + p.getLocation().getColumnNr() + ").");
        }
        if (e instanceof JsonProcessingException j) {
            return DomainProblem.badRequest("The body could not be read: " + j.getOriginalMessage() + ".");
        }
        return DomainProblem.badRequest("The body could not be read.");
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.length() == 0 ? "(body)" : path.toString();
    }

    private static String quote(Object value) {
        return value instanceof String s ? '"' + s + '"' : String.valueOf(value);
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "value of another type";
        }
        if (type.isEnum()) {
            List<String> names = new ArrayList<>();
            for (Object constant : type.getEnumConstants()) {
                names.add(constant.toString());
            }
            return "one of " + String.join(", ", names);
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "whole number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "boolean (true or false)";
        }
        if (type == String.class) {
            return "string";
        }
        if (List.class.isAssignableFrom(type)) {
            return "JSON array";
        }
        return "JSON " + (type.isRecord() ? "object" : type.getSimpleName());
    }
}
