package org.opendelegate.manager.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.opendelegate.manager.dispatch.TaskLogPage;
import org.opendelegate.manager.dispatch.TaskService;
import org.opendelegate.manager.problems.DomainProblem;

/**
 * The whole log of a task as a text file ({@code GET /api/v1/tasks/{id}/log.txt}), written page by page so a
 * 25 MiB log never sits in memory; what the process wrote to standard error is marked {@code [stderr]}. Also
 * reads the query of a log request: whether to follow it as events and where to resume.
 */
public final class TaskLogDownload {
    private static final int PAGE = 1000;
    private static final byte[] STDERR = "[stderr] ".getBytes(StandardCharsets.UTF_8);

    private TaskLogDownload() {}

    /** Writes the log of the task named by the path parameter {@code id}, for {@code accountId}. */
    public static void write(Context ctx, TaskService tasks, String accountId) throws IOException {
        String taskId = ctx.pathParam("id");
        tasks.find(accountId, taskId);
        ctx.contentType("text/plain; charset=utf-8");
        ctx.header("Content-Disposition", "attachment; filename=\"task-" + safe(taskId) + ".log\"");
        OutputStream out = ctx.outputStream();
        try {
            tasks.eachLogPage(accountId, taskId, PAGE, page -> writePage(out, page));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        out.flush();
    }

    private static void writePage(OutputStream out, TaskLogPage page) {
        try {
            for (TaskLogPage.Line line : page.lines()) {
                if ("stderr".equals(line.stream())) {
                    out.write(STDERR);
                }
                out.write(line.text().getBytes(StandardCharsets.UTF_8));
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String safe(String id) {
        return id.replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    /** True for {@code follow=true}; false when absent or {@code false}. */
    public static boolean follow(Context ctx) {
        String raw = ctx.queryParam("follow");
        if (raw == null || raw.isBlank() || raw.equalsIgnoreCase("false")) {
            return false;
        }
        if (raw.equalsIgnoreCase("true")) {
            return true;
        }
        throw DomainProblem.invalidField("follow", "(\"" + raw + "\") must be true or false.");
    }

    /**
     * Where a followed log resumes: the {@code Last-Event-ID} header an EventSource sends when it reconnects,
     * else the {@code lastEventId} or {@code after} query parameter, else the start.
     */
    public static long resumeAfter(Context ctx) {
        String header = ctx.header("Last-Event-ID");
        if (header != null && !header.isBlank()) {
            return lineId("Last-Event-ID", header);
        }
        String query = ctx.queryParam("lastEventId");
        if (query != null && !query.isBlank()) {
            return lineId("lastEventId", query);
        }
        String after = ctx.queryParam("after");
        return after == null || after.isBlank() ? 0 : lineId("after", after);
    }

    private static long lineId(String field, String raw) {
        try {
            long id = Long.parseLong(raw.trim());
            if (id >= 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw DomainProblem.invalidField(
                field, "(\"" + raw + "\") must be the id of a log line (a whole number, 0 or more).");
    }
}
