package org.opendelegate.tasks.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.opendelegate.spi.TaskContext;
import org.opendelegate.spi.TaskFailure;

/**
 * What every AWS task does around its own calls: read the input, open a session (learn who it acts as,
 * assume the cross-account role), run the lookup, and return its result with the acting principal and
 * the calls made. The handlers reach the AWS SDK only through here, when a task runs: an idle delegate
 * never loads an SDK class.
 */
final class AwsTask {
    private AwsTask() {
    }

    static JsonNode run(TaskContext context, AwsLookup lookup) throws TaskFailure, InterruptedException {
        AwsTaskInput input = AwsTaskInput.of(context.payload());
        try (AwsSession session = AwsSession.open(context, input)) {
            ObjectNode result = JsonNodeFactory.instance.objectNode();
            lookup.run(session, context.payload(), result);
            result.put("region", input.region());
            result.put("principal", session.principal());
            result.put("account", session.account());
            result.set("calls", session.calls());
            return result;
        }
    }
}
