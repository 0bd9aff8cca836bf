package org.opendelegate.manager.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import org.opendelegate.protocol.ProtocolJson;

/**
 * Response headers that steer htmx: events for console.js (a toast, closing a dialog) and where an
 * error answer goes instead of the usual target.
 */
final class Htmx {
    /** Header values must be ASCII: anything else (a delegate's name, say) is written as \\uXXXX. */
    private static final ObjectWriter ASCII_JSON =
            ProtocolJson.mapper().writer().with(JsonWriteFeature.ESCAPE_NON_ASCII);

    private final Map<String, Object> events = new LinkedHashMap<>();

    static Htmx events() {
        return new Htmx();
    }

    /** A short confirmation shown at the bottom of the page. */
    Htmx toast(String message) {
        events.put("od:toast", message);
        return this;
    }

    /** Tells a cloud provider's page that a person started browsing it (the region list loads then). */
    Htmx browsed() {
        events.put("od:browsed", true);
        return this;
    }

    /** Closes the dialog with this id. */
    Htmx close(String dialogId) {
        events.put("od:close", dialogId);
        return this;
    }

    void send(Context ctx) {
        try {
            ctx.header("HX-Trigger", ASCII_JSON.writeValueAsString(events));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("strings are always serialisable", e);
        }
    }

    /** Sends the answer to another element (an error area of a dialog) and replaces its content. */
    static void retarget(Context ctx, String selector) {
        ctx.header("HX-Retarget", selector);
        ctx.header("HX-Reswap", "innerHTML");
    }
}
