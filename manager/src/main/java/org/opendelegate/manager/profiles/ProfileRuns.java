package org.opendelegate.manager.profiles;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.opendelegate.manager.delegates.KnownDelegates;
import org.opendelegate.manager.delegates.ResolvedDelegate;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.store.ProfileRun;
import org.opendelegate.manager.store.ProfileRunDao;
import org.opendelegate.manager.store.ProfileRunDao.StoredRun;
import org.opendelegate.manager.store.ProfileVersion;
import org.opendelegate.protocol.LogLine;
import org.opendelegate.protocol.Problem;
import org.opendelegate.protocol.ProfileRunReport;
import org.opendelegate.protocol.ProfileRunResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records what delegates report about their profile runs: status, exit code, times, and the last
 * {@value #MAX_OUTPUT_BYTES} bytes of output.
 *
 * <p>Versions race: an admin may edit a profile while a delegate still runs the previous version, and
 * that run may end after the delegate started the new one. So a report is kept only when it applies the
 * version the delegate is assigned now, and only for the newest run of it (a new run id replaces the
 * stored run only if it started later). Anything else is answered {@code recorded=false}, and the
 * delegate drops the rest of that run's reports: an old run finishing late never overwrites the state
 * of the newer one.
 */
public final class ProfileRuns {
    private static final Logger LOG = LoggerFactory.getLogger(ProfileRuns.class);
    /** How much output is kept per delegate: the last 64 KiB, whole lines. */
    public static final int MAX_OUTPUT_BYTES = 64 * 1024;

    static final int MAX_LINES_PER_REPORT = 5000;
    static final int MAX_LINE_CHARS = 8192;

    private final ProfileRunDao runs;
    private final KnownDelegates knownDelegates;
    private final Clock clock;

    public ProfileRuns(ProfileRunDao runs, KnownDelegates knownDelegates, Clock clock) {
        this.runs = runs;
        this.knownDelegates = knownDelegates;
        this.clock = clock;
    }

    /** Records a report from the delegate of {@code entry}. */
    public ProfileRunResponse record(ResolvedDelegate entry, ProfileRunReport report) {
        check(report);
        ProfileVersion assigned = entry.profile().assigned();
        if (assigned == null
                || !assigned.profileId().equals(report.profileId())
                || assigned.version() != report.version()) {
            LOG.info(
                    "Delegate {} reported a {} run of profile {} v{}, which it is no longer assigned; not kept",
                    entry.name(),
                    report.status(),
                    report.profileId(),
                    report.version());
            return new ProfileRunResponse(false);
        }
        Instant now = clock.instant();
        Optional<StoredRun> stored = runs.change(entry.id(), current -> next(entry, assigned, report, current, now));
        if (stored.isEmpty()) {
            return new ProfileRunResponse(false);
        }
        ProfileRun run = stored.get().run();
        knownDelegates.profiles().runRecorded(run);
        knownDelegates.profileRunChanged(entry.id());
        if (run.status().isFinal() && report.status().isFinal()) {
            LOG.info(
                    "Delegate {} ran profile {} v{}: {}{}",
                    entry.name(),
                    assigned.name(),
                    assigned.version(),
                    run.status(),
                    run.exitCode() == null ? "" : " (exit " + run.exitCode() + ")");
        }
        return new ProfileRunResponse(true);
    }

    private static Optional<StoredRun> next(
            ResolvedDelegate entry,
            ProfileVersion assigned,
            ProfileRunReport report,
            Optional<StoredRun> current,
            Instant now) {
        if (current.isPresent() && current.get().run().runId().equals(report.runId())) {
            ProfileRun was = current.get().run();
            if (was.status().isFinal()) {
                return Optional.empty();
            }
            long skip = Math.max(0, was.outputLines() - report.firstLine());
            String output = append(current.get().output(), report, skip, was.outputLines());
            long lines = Math.max(
                    was.outputLines(), report.firstLine() + report.lines().size());
            return Optional.of(new StoredRun(run(entry, assigned, report, now, lines), output));
        }
        if (current.isPresent()
                && current.get().run().applies(assigned.profileId(), assigned.version())
                && current.get().run().startedAt().isAfter(report.startedAt())) {
            return Optional.empty();
        }
        String output = append("", report, 0, 0);
        return Optional.of(new StoredRun(
                run(
                        entry,
                        assigned,
                        report,
                        now,
                        report.firstLine() + report.lines().size()),
                output));
    }

    private static ProfileRun run(
            ResolvedDelegate entry, ProfileVersion assigned, ProfileRunReport r, Instant now, long lines) {
        return new ProfileRun(
                entry.id(),
                entry.accountId(),
                assigned.profileId(),
                assigned.name(),
                assigned.version(),
                r.runId(),
                r.status(),
                r.status().isFinal() ? r.exitCode() : null,
                r.startedAt(),
                r.status().isFinal() ? (r.finishedAt() == null ? now : r.finishedAt()) : null,
                now,
                lines);
    }

    /** Adds the report's lines after the first {@code skip} (already kept), noting lines that never came. */
    static String append(String kept, ProfileRunReport report, long skip, long keptLines) {
        StringBuilder out = new StringBuilder(kept);
        long missing = report.firstLine() - keptLines;
        if (missing > 0) {
            out.append("[manager] ").append(missing).append(" earlier output line(s) were not received\n");
        }
        List<LogLine> lines = report.lines();
        for (int i = (int) Math.min(skip, lines.size()); i < lines.size(); i++) {
            String text = lines.get(i).text() == null ? "" : lines.get(i).text();
            out.append(text.length() > MAX_LINE_CHARS ? text.substring(0, MAX_LINE_CHARS) + " [line cut]" : text)
                    .append('\n');
        }
        return tail(out.toString());
    }

    /** The last {@link #MAX_OUTPUT_BYTES} bytes of the text, starting at a whole line. */
    static String tail(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_OUTPUT_BYTES) {
            return text;
        }
        int start = bytes.length - MAX_OUTPUT_BYTES;
        while (start < bytes.length && bytes[start - 1] != '\n') {
            start++;
        }
        return new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8);
    }

    private static void check(ProfileRunReport r) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (r.profileId() == null || r.profileId().isBlank()) {
            errors.add(new Problem.FieldError("profileId", "is required."));
        }
        if (r.runId() == null || r.runId().isBlank() || r.runId().length() > 64) {
            errors.add(new Problem.FieldError("runId", "is required: 1 to 64 characters."));
        }
        if (r.status() == null) {
            errors.add(new Problem.FieldError("status", "is required: RUNNING, SUCCEEDED, FAILED or TIMED_OUT."));
        }
        if (r.startedAt() == null) {
            errors.add(new Problem.FieldError("startedAt", "is required."));
        }
        if (r.firstLine() < 0) {
            errors.add(new Problem.FieldError("firstLine", "is " + r.firstLine() + "; it must be 0 or more."));
        }
        if (r.lines() == null) {
            errors.add(new Problem.FieldError("lines", "is required (an empty list when there is no new output)."));
        } else if (r.lines().size() > MAX_LINES_PER_REPORT) {
            errors.add(new Problem.FieldError(
                    "lines",
                    "has " + r.lines().size() + " lines; send at most " + MAX_LINES_PER_REPORT + " per report."));
        }
        if (!errors.isEmpty()) {
            throw DomainProblem.invalid(errors);
        }
    }
}
