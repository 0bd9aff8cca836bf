package org.opendelegate.manager.dispatch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.opendelegate.manager.security.SecretBox;
import org.opendelegate.manager.store.Task;
import org.opendelegate.protocol.ProtocolJson;

/**
 * Opens a task's sealed secrets for its assignment, the one place they are ever decrypted. A value that
 * does not open (the row was tampered with: the start already proved the key) fails loudly, without the
 * value in the message.
 */
public final class TaskSecrets {
    private final SecretBox box;

    public TaskSecrets(SecretBox box) {
        this.box = box;
    }

    /** The additional data a task's secrets are sealed with: they open only for that task. */
    public static String context(String taskId) {
        return "task:" + taskId;
    }

    /** The task's secrets as JSON, or null when it has none. */
    JsonNode open(Task task) {
        if (task.sealedSecrets() == null) {
            return null;
        }
        try {
            return ProtocolJson.mapper().readTree(box.open(task.sealedSecrets(), context(task.id())));
        } catch (JsonProcessingException | SecretBox.WrongKeyException e) {
            throw new IllegalStateException("the secrets of task " + task.id() + " do not open: "
                    + e.getClass().getSimpleName());
        }
    }
}
