package org.opendelegate.cli;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the {@code opendelegate} command exits with, so a pipeline can tell a failing script from a task that
 * never ran. A script's own exit code passes through unchanged; the other outcomes use codes from
 * {@code sysexits.h} and the shell's conventions, documented in the README. A script may itself exit with one
 * of these numbers: {@code --output json} gives the task's state for callers that must tell them apart.
 */
final class ExitCodes {
    /** The task succeeded (the script exited 0). */
    static final int OK = 0;
    /** Wrong flags or arguments (picocli's own usage code). */
    static final int USAGE = 2;
    /** The Manager refused the request as invalid (400, 404, 409, 413, 415, 422). */
    static final int REFUSED = 65;
    /** No delegate could take the task in time ({@code NOT_ASSIGNED}). */
    static final int NOT_ASSIGNED = 69;
    /** The task failed without a script exit code (delegate lost, secret not resolved, bad outputs). */
    static final int FAILED = 70;
    /** The Manager could not be reached, or answered 5xx / 429 / 503. */
    static final int UNAVAILABLE = 75;
    /** The API key is missing, wrong, or lacks the role (401, 403). */
    static final int NOT_ALLOWED = 77;
    /** The task ran out of time ({@code TIMED_OUT}), as timeout(1) exits. */
    static final int TIMED_OUT = 124;
    /** The task was cancelled (Ctrl-C here, or someone else), as a shell exits after SIGINT. */
    static final int CANCELLED = 130;

    private ExitCodes() {}

    /** The exit code for a task that ended: the script's own code when it ran to an exit code. */
    static int of(JsonNode task) {
        String state = task.path("state").asText("");
        JsonNode exitCode = task.path("result").path("exitCode");
        return switch (state) {
            case "SUCCEEDED" -> OK;
            case "FAILED" -> exitCode.isInt() && exitCode.asInt() != 0 ? exitCode.asInt() & 0xff : FAILED;
            case "TIMED_OUT" -> TIMED_OUT;
            case "CANCELLED" -> CANCELLED;
            case "NOT_ASSIGNED" -> NOT_ASSIGNED;
            default -> FAILED;
        };
    }

    /** The exit code for an HTTP status the Manager answered with. */
    static int ofStatus(int status) {
        if (status == 401 || status == 403) {
            return NOT_ALLOWED;
        }
        if (status == 429 || status >= 500) {
            return UNAVAILABLE;
        }
        return REFUSED;
    }
}
