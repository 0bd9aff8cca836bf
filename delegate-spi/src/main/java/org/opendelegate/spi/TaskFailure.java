package org.opendelegate.spi;

import com.fasterxml.jackson.databind.JsonNode;
import org.opendelegate.protocol.ErrorKind;

/**
 * A failure a handler understands and classifies. {@link ErrorKind#CAPABILITY} tells the Manager that
 * another delegate might succeed where this one failed.
 */
public final class TaskFailure extends Exception {
    private final ErrorKind kind;
    private final transient JsonNode result;

    private TaskFailure(ErrorKind kind, String message, Throwable cause) {
        this(kind, message, cause, null);
    }

    private TaskFailure(ErrorKind kind, String message, Throwable cause, JsonNode result) {
        super(message, cause);
        this.kind = kind;
        this.result = result;
    }

    /**
     * The same failure carrying a result, for work that failed yet has something to report (a script's exit
     * code and the outputs it wrote before it failed). The Manager keeps it next to the error.
     */
    public TaskFailure withResult(JsonNode failedResult) {
        return new TaskFailure(kind, getMessage(), getCause(), failedResult);
    }

    /** What the failed work reported, or null. */
    public JsonNode result() {
        return result;
    }

    /** The work itself failed; another delegate would fail the same way. */
    public static TaskFailure task(String message) {
        return new TaskFailure(ErrorKind.TASK, message, null);
    }

    /** The work itself failed, with its cause. */
    public static TaskFailure task(String message, Throwable cause) {
        return new TaskFailure(ErrorKind.TASK, message, cause);
    }

    /** This delegate cannot do the work (credentials, tools, network); another one might. */
    public static TaskFailure capability(String message) {
        return new TaskFailure(ErrorKind.CAPABILITY, message, null);
    }

    /** This delegate cannot do the work, with its cause. */
    public static TaskFailure capability(String message, Throwable cause) {
        return new TaskFailure(ErrorKind.CAPABILITY, message, cause);
    }

    /** The kind of failure. */
    public ErrorKind kind() {
        return kind;
    }
}
