package org.opendelegate.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one Jackson setup both sides use. Instants are ISO-8601 strings, nulls are left out.
 *
 * <p>The Manager reads strictly: an unknown field in a request is an error the sender should hear
 * about. A delegate reads the Manager's answers tolerantly, so that a newer Manager can add fields
 * without breaking older delegates.
 */
public final class ProtocolJson {
    private static final ObjectMapper STRICT = configure(new ObjectMapper());
    private static final ObjectReader TOLERANT =
            STRICT.reader().without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ProtocolJson() {}

    /** The shared mapper; fails on unknown properties. Do not reconfigure it. */
    public static ObjectMapper mapper() {
        return STRICT;
    }

    /** A reader that ignores unknown properties, for reading the other side's newer messages. */
    public static ObjectReader tolerantReader() {
        return TOLERANT;
    }

    /** Applies the protocol's settings to a mapper (used by the Manager's HTTP layer too). */
    public static ObjectMapper configure(ObjectMapper mapper) {
        return mapper.registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .setDefaultPropertyInclusion(
                        JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL));
    }
}
