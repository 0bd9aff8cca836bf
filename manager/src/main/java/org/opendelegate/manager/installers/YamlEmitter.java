package org.opendelegate.manager.installers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.regex.Pattern;
import org.opendelegate.protocol.ProtocolJson;

/**
 * Writes a JSON tree as block-style YAML, the way people write CloudFormation templates: the intrinsic
 * functions {@code Ref}, {@code Fn::GetAtt} and {@code Fn::Sub} become the short tags {@code !Ref},
 * {@code !GetAtt} and {@code !Sub}. Every string value is written double-quoted with JSON escapes (a
 * subset of YAML's), so no value can change the document's structure.
 */
final class YamlEmitter {
    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_.:-]+");
    private static final Pattern PLAIN_REF = Pattern.compile("[A-Za-z0-9:]+");

    private YamlEmitter() {}

    static String write(JsonNode root) {
        StringBuilder out = new StringBuilder();
        mapping(root, 0, out);
        return out.toString();
    }

    private static void mapping(JsonNode node, int indent, StringBuilder out) {
        for (Map.Entry<String, JsonNode> f : node.properties()) {
            out.append(" ".repeat(indent)).append(key(f.getKey())).append(':');
            value(f.getValue(), indent, out);
        }
    }

    /** Writes a value after {@code key:} (or {@code -}), starting on the same line. */
    private static void value(JsonNode v, int indent, StringBuilder out) {
        String inline = inline(v);
        if (inline != null) {
            out.append(' ').append(inline).append('\n');
        } else if (v.isObject()) {
            out.append('\n');
            mapping(v, indent + 2, out);
        } else {
            out.append('\n');
            sequence(v, indent + 2, out);
        }
    }

    private static void sequence(JsonNode array, int indent, StringBuilder out) {
        for (JsonNode item : array) {
            out.append(" ".repeat(indent)).append('-');
            if (inline(item) != null || item.isArray()) {
                value(item, indent, out);
            } else {
                StringBuilder nested = new StringBuilder();
                mapping(item, indent + 2, nested);
                out.append(' ').append(nested.substring(indent + 2));
            }
        }
    }

    /** The value on one line, or null when it needs a block. */
    private static String inline(JsonNode v) {
        if (v.isTextual()) {
            return quote(v.asText());
        }
        if (v.isNumber() || v.isBoolean()) {
            return v.asText();
        }
        if (v.isNull()) {
            return "null";
        }
        if (v.isContainerNode() && v.isEmpty()) {
            return v.isObject() ? "{}" : "[]";
        }
        if (v.isObject() && v.size() == 1) {
            return shortForm(v);
        }
        return null;
    }

    private static String shortForm(JsonNode v) {
        JsonNode ref = v.get("Ref");
        if (ref != null && ref.isTextual() && PLAIN_REF.matcher(ref.asText()).matches()) {
            return "!Ref " + ref.asText();
        }
        JsonNode getAtt = v.get("Fn::GetAtt");
        if (getAtt != null
                && getAtt.isArray()
                && getAtt.size() == 2
                && PLAIN_REF.matcher(getAtt.get(0).asText()).matches()
                && PLAIN_REF.matcher(getAtt.get(1).asText()).matches()) {
            return "!GetAtt " + getAtt.get(0).asText() + "." + getAtt.get(1).asText();
        }
        JsonNode sub = v.get("Fn::Sub");
        if (sub != null && sub.isTextual()) {
            return "!Sub " + quote(sub.asText());
        }
        return null;
    }

    private static String key(String key) {
        return PLAIN_KEY.matcher(key).matches() ? key : quote(key);
    }

    static String quote(String text) {
        try {
            return ProtocolJson.mapper().writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a string is always serialisable", e);
        }
    }
}
