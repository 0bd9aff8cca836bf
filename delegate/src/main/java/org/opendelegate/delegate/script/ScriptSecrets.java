package org.opendelegate.delegate.script;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.opendelegate.spi.TaskContext;
import org.opendelegate.spi.TaskFailure;

/**
 * The values of a script's secrets, by environment variable: the Manager's ({@code secret:NAME}, resolved by
 * the Manager and sealed into the assignment) and the AWS ones the delegate resolves itself. All of them are
 * resolved before the script starts, so a reference that does not resolve fails the task with nothing run.
 */
final class ScriptSecrets {
    private ScriptSecrets() {}

    static Map<String, String> resolve(TaskContext context, ScriptPayload payload, SecretReferenceResolver aws)
            throws TaskFailure, InterruptedException {
        Map<String, String> values = new LinkedHashMap<>();
        JsonNode sealed = context.secrets();
        for (Map.Entry<String, JsonNode> entry : sealed.properties()) {
            if (entry.getValue().isTextual()
                    && ScriptPayload.NAME.matcher(entry.getKey()).matches()) {
                values.put(entry.getKey(), entry.getValue().asText());
            }
        }
        for (Map.Entry<String, String> secret : payload.secrets().entrySet()) {
            String name = secret.getKey();
            String reference = secret.getValue();
            if (reference.startsWith("secret:")) {
                if (!values.containsKey(name)) {
                    throw TaskFailure.task("secret reference " + reference + " (for " + name
                            + ") did not resolve: the Manager sent no value for it");
                }
            } else {
                values.put(name, aws.resolve(reference, context.deadline()));
            }
        }
        return values;
    }
}
