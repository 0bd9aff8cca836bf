package org.opendelegate.manager.web;

import java.time.Duration;
import org.opendelegate.manager.delegates.DelegateView;

/**
 * A delegate's profile run as a badge: "Running", "Succeeded", "Failed (exit 2)", "Timed out" or
 * "Pending" (no run of the current version reported yet), with a title that says more.
 *
 * @param state the CSS state, shared with the task badges
 */
public record ProfileBadge(String label, String state, String title) {

    static ProfileBadge of(DelegateView.Profile p) {
        String what = "Profile " + p.name() + (p.version() == null ? "" : " v" + p.version())
                + (Boolean.FALSE.equals(p.required()) ? " (optional)" : "");
        String took = p.durationMillis() == null ? "" : " in " + Ago.duration(Duration.ofMillis(p.durationMillis()));
        return switch (p.status()) {
            case "RUNNING" ->
                new ProfileBadge(
                        "Running",
                        "running",
                        what + ": running for" + took.substring(Math.min(took.length(), 3)) + "; click for its output");
            case "SUCCEEDED" ->
                new ProfileBadge("Succeeded", "succeeded", what + ": succeeded" + took + "; click for its output");
            case "FAILED" ->
                new ProfileBadge(
                        p.exitCode() == null ? "Failed" : "Failed (exit " + p.exitCode() + ")",
                        "failed",
                        what + ": failed" + took
                                + (Boolean.TRUE.equals(p.required()) ? "; no tasks until a run succeeds" : "")
                                + "; click for its output");
            case "TIMED_OUT" ->
                new ProfileBadge(
                        "Timed out",
                        "timed-out",
                        what + ": timed out" + took
                                + (Boolean.TRUE.equals(p.required()) ? "; no tasks until a run succeeds" : "")
                                + "; click for its output");
            default ->
                new ProfileBadge(
                        "Pending",
                        "queued",
                        what + ": not run yet"
                                + (p.lastRunVersion() == null ? "" : " (last run: v" + p.lastRunVersion() + ")"));
        };
    }
}
