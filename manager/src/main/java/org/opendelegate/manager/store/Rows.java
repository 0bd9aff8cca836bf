package org.opendelegate.manager.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.opendelegate.protocol.ProtocolJson;

/**
 * Small conversions between SQL columns and Java values, shared by the DAOs. A record whose components
 * match its columns by name ({@code account_id} and {@code accountId}) needs none of them: it is read
 * with JDBI's {@code ConstructorMapper} and written with {@code bindMethods}.
 */
final class Rows {
    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {};
    private static final TypeReference<java.util.Map<String, String>> STRING_MAP = new TypeReference<>() {};

    private Rows() {}

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }

    static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    static List<String> stringList(ResultSet rs, String column) throws SQLException {
        String json = rs.getString(column);
        if (json == null || json.isEmpty()) {
            return List.of();
        }
        try {
            return List.copyOf(ProtocolJson.mapper().readValue(json, STRING_LIST));
        } catch (JsonProcessingException e) {
            throw new SQLException("column " + column + " does not hold a JSON list of strings", e);
        }
    }

    /** Reads a JSON column as a type, or the fallback when the column is empty. */
    static <T> T read(ResultSet rs, String column, Class<T> type, T fallback) throws SQLException {
        String json = rs.getString(column);
        if (json == null || json.isEmpty()) {
            return fallback;
        }
        try {
            return ProtocolJson.tolerantReader().forType(type).readValue(json);
        } catch (JsonProcessingException e) {
            throw new SQLException("column " + column + " does not hold a " + type.getSimpleName(), e);
        }
    }

    static java.util.Map<String, String> stringMap(ResultSet rs, String column) throws SQLException {
        String json = rs.getString(column);
        if (json == null || json.isEmpty()) {
            return java.util.Map.of();
        }
        try {
            return java.util.Map.copyOf(ProtocolJson.mapper().readValue(json, STRING_MAP));
        } catch (JsonProcessingException e) {
            throw new SQLException("column " + column + " does not hold a JSON object of strings", e);
        }
    }

    static String json(Object value) {
        try {
            return ProtocolJson.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write JSON for the store", e);
        }
    }

    /** True when the exception is a unique-constraint violation (SQLState 23505 on H2 and PostgreSQL). */
    static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
