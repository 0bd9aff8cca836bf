package org.opendelegate.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one Jackson setup both sides use. Instants are ISO-8601 strings, nulls are left out.
 *
 * <p>The Manager reads strictly: an unknown field in a request is an error the sender should hear
 * about. A delegate reads the Manager's answers tolerantly, so that a newer Manager can add fields
 * without breaking older delegates.
 */
public final class ProtocolJson {
    /**
     * The deepest JSON a request may nest (objects and arrays), well under what the serializer can write, so
     * that anything the Manager accepts it can also store and forward.
     */
    public static final int MAX_DEPTH = 64;

    /** The longest number accepted, in characters: more than any long or double needs. */
    public static final int MAX_NUMBER_LENGTH = 64;

    /** What a message may add around a request's JSON (a payload inside an assignment inside a poll answer). */
    private static final int ENVELOPE_DEPTH = 16;

    private static final ObjectMapper STRICT = configure(new ObjectMapper(), MAX_DEPTH);
    private static final ObjectReader TOLERANT = configure(new ObjectMapper(), MAX_DEPTH + ENVELOPE_DEPTH)
            .reader()
            .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ProtocolJson() {}

    /** The shared mapper; fails on unknown properties. Do not reconfigure it. */
    public static ObjectMapper mapper() {
        return STRICT;
    }

    /** A reader that ignores unknown properties, for reading the other side's newer messages. */
    public static ObjectReader tolerantReader() {
        return TOLERANT;
    }

    /**
     * Applies the protocol's settings to a mapper. Reading is strict: no value of the wrong JSON type is
     * coerced ({@code "10"} or {@code 1.5} for a whole number, {@code true} for a string), a key twice in one
     * object is an error, nesting deeper than {@code maxDepth} and numbers longer than
     * {@link #MAX_NUMBER_LENGTH} are refused, and strings with control characters or lone surrogates too.
     */
    static ObjectMapper configure(ObjectMapper mapper, int maxDepth) {
        mapper.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxDepth)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .build());
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        for (LogicalType type : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
            mapper.coercionConfigFor(type)
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return mapper.registerModule(new JavaTimeModule())
                .registerModule(new SimpleModule("strict-strings").addDeserializer(String.class, new StrictStrings()))
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .setDefaultPropertyInclusion(
                        JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL));
    }
}
