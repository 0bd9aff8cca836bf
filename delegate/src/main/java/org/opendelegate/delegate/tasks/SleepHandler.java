package org.opendelegate.delegate.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import org.opendelegate.delegate.time.Sleeper;
import org.opendelegate.protocol.TaskTypes;
import org.opendelegate.spi.TaskContext;
import org.opendelegate.spi.TaskFailure;
import org.opendelegate.spi.TaskHandler;

/**
 * {@code sleep}: waits {@code {"seconds": n}} (0 &lt; n ≤ 86400, fractions allowed) and returns
 * {@code {"sleptSeconds": n}}. Stops at once when interrupted, which makes it the task that proves
 * cancellation, timeouts and graceful shutdown.
 */
public final class SleepHandler implements TaskHandler {
    static final double MAX_SECONDS = 86_400;

    private final Sleeper sleeper;

    /** @param sleeper how to wait; {@link Sleeper#SYSTEM} in production */
    public SleepHandler(Sleeper sleeper) {
        this.sleeper = sleeper;
    }

    @Override
    public String type() {
        return TaskTypes.SLEEP;
    }

    @Override
    public JsonNode run(TaskContext context) throws TaskFailure, InterruptedException {
        double seconds = seconds(context.payload());
        context.log("Sleeping for " + format(seconds) + " s");
        sleeper.sleep(Duration.ofNanos((long) (seconds * 1_000_000_000L)));
        context.log("Slept " + format(seconds) + " s");
        return JsonNodeFactory.instance.objectNode().put("sleptSeconds", seconds);
    }

    private static double seconds(JsonNode payload) throws TaskFailure {
        JsonNode seconds = payload.get("seconds");
        if (seconds == null || !seconds.isNumber()) {
            throw TaskFailure.task("sleep needs a payload like {\"seconds\": 5}; got " + payload);
        }
        double value = seconds.asDouble();
        if (!(value > 0 && value <= MAX_SECONDS)) {
            throw TaskFailure.task("sleep seconds must be more than 0 and at most 86400; got " + seconds);
        }
        return value;
    }

    private static String format(double seconds) {
        return seconds == Math.rint(seconds) ? Long.toString((long) seconds) : Double.toString(seconds);
    }
}
