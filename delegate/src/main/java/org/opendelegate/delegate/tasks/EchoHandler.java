package org.opendelegate.delegate.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import org.opendelegate.protocol.TaskTypes;
import org.opendelegate.spi.TaskContext;
import org.opendelegate.spi.TaskHandler;

/** {@code echo}: returns its payload as its result. Proves the channel end to end. */
public final class EchoHandler implements TaskHandler {

    @Override
    public String type() {
        return TaskTypes.ECHO;
    }

    @Override
    public JsonNode run(TaskContext context) {
        return context.payload();
    }
}
