package org.opendelegate.manager.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import java.util.Map;
import org.opendelegate.manager.store.Task;

/** Task specs for tests that store tasks directly: no selectors, no scope, no affinity, submitted through the API. */
public final class TaskSpecs {
    private TaskSpecs() {}

    /** A task of this type with an empty payload. */
    public static Task.Spec plain(String type, int maxAttempts, long timeoutMs) {
        return spec(type, JsonNodeFactory.instance.objectNode(), maxAttempts, timeoutMs);
    }

    /** An echo task with three attempts and a five-minute timeout. */
    public static Task.Spec echo() {
        return plain("echo", 3, 300_000);
    }

    /** An echo task as {@link #echo()}, with this payload. */
    public static Task.Spec echo(JsonNode payload) {
        return spec("echo", payload, 3, 300_000);
    }

    private static Task.Spec spec(String type, JsonNode payload, int maxAttempts, long timeoutMs) {
        return new Task.Spec(type, payload, List.of(), Map.of(), null, null, maxAttempts, timeoutMs, false, "api");
    }
}
