package org.opendelegate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;

/**
 * Prints a task's log as it grows until the task ends, then returns the task as it ended. A Manager that
 * restarts or is briefly unreachable is waited for (up to a minute), so a pipeline does not fail because
 * of a blip; the log resumes after the last line printed, so nothing is printed twice.
 */
final class TaskFollower {
    private static final int WAIT_SECONDS = 20;
    private static final long GIVE_UP_AFTER_MILLIS = 60_000;

    private final ManagerApi api;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean linesAsJson;

    /**
     * @param out where standard-output lines go
     * @param err where standard-error lines go
     * @param linesAsJson print each line as one JSON object (for {@code tasks log --output json})
     */
    TaskFollower(ManagerApi api, PrintStream out, PrintStream err, boolean linesAsJson) {
        this.api = api;
        this.out = out;
        this.err = err;
        this.linesAsJson = linesAsJson;
    }

    /** Prints the log from the start until the task ended and every line is out; returns the ended task. */
    JsonNode follow(String taskId) throws InterruptedException {
        long after = 0;
        long failingSince = 0;
        while (true) {
            JsonNode page;
            try {
                page = api.logPage(taskId, after, WAIT_SECONDS);
                failingSince = 0;
            } catch (ApiException e) {
                if (e.exitCode() != ExitCodes.UNAVAILABLE) {
                    throw e;
                }
                long now = System.currentTimeMillis();
                failingSince = failingSince == 0 ? now : failingSince;
                if (now - failingSince > GIVE_UP_AFTER_MILLIS) {
                    throw e;
                }
                Thread.sleep(2_000);
                continue;
            }
            for (JsonNode line : page.path("lines")) {
                print(line);
            }
            after = page.path("next").asLong(after);
            if (page.path("done").asBoolean(false)) {
                return api.task(taskId);
            }
        }
    }

    /** Prints what the log holds now, without waiting for more. */
    void printOnce(String taskId) {
        long after = 0;
        while (true) {
            JsonNode page = api.logPage(taskId, after, 0);
            for (JsonNode line : page.path("lines")) {
                print(line);
            }
            long next = page.path("next").asLong(after);
            if (page.path("lines").isEmpty() || next == after) {
                return;
            }
            after = next;
        }
    }

    private void print(JsonNode line) {
        if (linesAsJson) {
            out.println(line.toString());
            return;
        }
        boolean stderr = "stderr".equalsIgnoreCase(line.path("stream").asText(""));
        (stderr ? err : out).println(line.path("text").asText(""));
    }
}
