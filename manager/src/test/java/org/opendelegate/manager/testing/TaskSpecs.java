package org.opendelegate.manager.testing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import java.util.Map;
import org.opendelegate.manager.store.Task;

/** Task specs for tests that store tasks directly: no selectors, no scope, no affinity, submitted through the API. */
public final class TaskSpecs {
    private TaskSpecs() {}

    /** A task of this type with an empty payload. */
    public static Task.Spec plain(String type, int maxAttempts, long timeoutMs) {
        return new Task.Spec(
                type,
                JsonNodeFactory.instance.objectNode(),
                List.of(),
                Map.of(),
                null,
                null,
                maxAttempts,
                timeoutMs,
                false,
                "api");
    }

    /** An echo task with three attempts and a five-minute timeout. */
    public static Task.Spec echo() {
        return plain("echo", 3, 300_000);
    }
}
