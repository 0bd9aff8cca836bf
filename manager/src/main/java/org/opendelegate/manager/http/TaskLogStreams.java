package org.opendelegate.manager.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.opendelegate.manager.dispatch.LogSignals;
import org.opendelegate.manager.dispatch.TaskLogPage;
import org.opendelegate.manager.dispatch.TaskService;
import org.opendelegate.manager.problems.DomainProblem;

/**
 * Follows a task's log as Server-Sent Events: each line is an event whose id is the line's id (so a client that
 * reconnects with {@code Last-Event-ID} gets what it missed and nothing twice), an {@code end} event carries the
 * final state, and a comment every {@value #KEEP_ALIVE_SECONDS} s keeps proxies from closing a quiet stream.
 *
 * <p>Each stream holds one thread of its own small pool while it is open, so followers are bounded: at most
 * {@value #MAX_STREAMS} at once (more are refused with 429), each for at most {@link #MAX_LIFETIME} (then the
 * client reconnects where it left off), holding one page of lines in memory. A reader too slow to take what is
 * written blocks only its own thread, until Jetty's idle timeout closes its connection.
 */
public final class TaskLogStreams {
    static final int MAX_STREAMS = 64;
    static final long KEEP_ALIVE_SECONDS = 15;
    static final Duration MAX_LIFETIME = Duration.ofMinutes(5);
    private static final int PAGE = 500;
    /**
     * Followers of a task whose delegate talks to another replica learn of its new lines from the replica's
     * signal ({@code LOG_STORED} over {@code LISTEN/NOTIFY}); as the safety net for a lost signal they look at
     * the store this often, by the Manager's clock (a test's frozen clock leaves the signal as the only way).
     */
    private static final Duration LOOK_EVERY = Duration.ofSeconds(1);
    /** How long a follower sleeps between checks of its keep-alive and its look at the store. */
    private static final long NAP_MILLIS = 250;

    private final TaskService tasks;
    private final LogSignals signals;
    private final Clock clock;
    private final Semaphore slots = new Semaphore(MAX_STREAMS);
    private final ThreadPoolExecutor pool;

    public TaskLogStreams(TaskService tasks, Clock clock) {
        this.tasks = tasks;
        this.clock = clock;
        this.signals = tasks.logSignals();
        AtomicInteger count = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(0, MAX_STREAMS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "log-stream-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts a stream of the lines after {@code afterId}; 404 for a task of another account, 429 when full. */
    public void start(Context ctx, String accountId, String taskId, long afterId) {
        tasks.find(accountId, taskId);
        if (!slots.tryAcquire()) {
            throw DomainProblem.limitReached(
                    "log followers",
                    MAX_STREAMS,
                    Duration.ofSeconds(5),
                    "The Manager already streams " + MAX_STREAMS + " task logs; try again in a few seconds, or read"
                            + " the log page by page (GET /api/v1/tasks/{id}/log?after=...).");
        }
        ctx.status(200);
        ctx.contentType("text/event-stream; charset=utf-8");
        ctx.header("Cache-Control", "no-cache");
        ctx.header("X-Accel-Buffering", "no");
        ctx.async(
                config -> {
                    config.executor = pool;
                    config.timeout =
                            MAX_LIFETIME.plusSeconds(KEEP_ALIVE_SECONDS * 2).toMillis();
                },
                () -> {
                    try {
                        new Follower(ctx, accountId, taskId, afterId).run();
                    } finally {
                        slots.release();
                    }
                });
    }

    /** One open stream. */
    private final class Follower {
        private final Context ctx;
        private final String accountId;
        private final String taskId;
        private long lastId;
        private long lastWriteAt = System.nanoTime();

        Follower(Context ctx, String accountId, String taskId, long afterId) {
            this.ctx = ctx;
            this.accountId = accountId;
            this.taskId = taskId;
            this.lastId = afterId;
        }

        void run() {
            long endAt = System.nanoTime() + MAX_LIFETIME.toNanos();
            try (OutputStream out = ctx.res().getOutputStream()) {
                write(out, "retry: 2000\n\n");
                while (System.nanoTime() < endAt) {
                    long seen = signals.version();
                    Instant lookedAt = clock.instant();
                    TaskLogPage page = tasks.log(accountId, taskId, lastId, PAGE);
                    for (TaskLogPage.Line line : page.lines()) {
                        write(out, "id: " + line.id() + "\ndata: " + json(lineData(line)) + "\n\n");
                        lastId = line.id();
                    }
                    if (page.done()) {
                        write(
                                out,
                                "event: end\ndata: " + json(Map.of("taskId", taskId, "state", page.state())) + "\n\n");
                        return;
                    }
                    if (page.lines().size() < PAGE) {
                        awaitLines(out, seen, lookedAt, endAt);
                    }
                }
            } catch (IOException e) {
                // The client went away or stopped reading; its stream simply ends.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Until lines were stored (a signal), the next look at the store is due, or the stream's end. */
        private void awaitLines(OutputStream out, long seen, Instant lookedAt, long endAt)
                throws IOException, InterruptedException {
            Instant lookAgainAt = lookedAt.plus(LOOK_EVERY);
            while (signals.version() == seen && clock.instant().isBefore(lookAgainAt) && System.nanoTime() < endAt) {
                signals.awaitAfter(seen, NAP_MILLIS);
                if (System.nanoTime() - lastWriteAt >= TimeUnit.SECONDS.toNanos(KEEP_ALIVE_SECONDS)) {
                    write(out, ": keep-alive\n\n");
                }
            }
        }

        private void write(OutputStream out, String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
            lastWriteAt = System.nanoTime();
        }

        private String json(Object value) {
            return ctx.jsonMapper().toJsonString(value, Object.class);
        }
    }

    private static Map<String, Object> lineData(TaskLogPage.Line line) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", line.id());
        data.put("at", line.at());
        data.put("stream", line.stream());
        data.put("text", line.text());
        data.put("fencingToken", line.fencingToken());
        return data;
    }
}
