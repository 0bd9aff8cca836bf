package org.opendelegate.delegate.aws;

import com.fasterxml.jackson.databind.JsonNode;
import org.opendelegate.spi.TaskContext;
import org.opendelegate.spi.TaskHandler;

/** An AWS task type whose handler lives in the {@link AwsRuntime}'s current class loader. */
final class IsolatedAwsHandler implements TaskHandler {
    private final String type;
    private final AwsRuntime runtime;

    IsolatedAwsHandler(String type, AwsRuntime runtime) {
        this.type = type;
        this.runtime = runtime;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public JsonNode run(TaskContext context) throws Exception {
        return runtime.run(type, context);
    }
}
