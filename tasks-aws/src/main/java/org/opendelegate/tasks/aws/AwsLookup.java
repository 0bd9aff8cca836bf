package org.opendelegate.tasks.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.opendelegate.spi.TaskFailure;

/** One AWS task's own work, run inside an {@link AwsSession} that already knows who it acts as. */
interface AwsLookup {

    /**
     * Makes the calls and fills the result.
     *
     * @param session the credentials, region, clients, and the call log
     * @param payload the task's input (lookup parameters such as {@code vpcId})
     * @param result the result to fill; the session adds who acted and which calls were made
     */
    void run(AwsSession session, JsonNode payload, ObjectNode result) throws TaskFailure, InterruptedException;
}
