package org.opendelegate.manager.delegates;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.opendelegate.manager.store.ProfileRun;
import org.opendelegate.manager.store.ProfileVersion;
import org.opendelegate.protocol.ProfileAssignment;
import org.opendelegate.protocol.ProfileRunStatus;

/**
 * The delegate profile a delegate is assigned and how its last run went.
 *
 * @param requestedName the profile the delegate asked for at registration ({@code DELEGATE_PROFILE})
 * @param assigned the current version of the profile it must apply: its group's profile if the group
 *     sets one, else the one it asked for; null when that profile no longer exists (it is created again
 *     when the delegate registers)
 * @param viaGroup true when the group's profile overrides the delegate's own choice
 * @param lastRun the last run the delegate reported, of whatever version; null before the first
 */
public record ProfileState(String requestedName, ProfileVersion assigned, boolean viaGroup, ProfileRun lastRun) {
    /** Shown while no run of the assigned version was reported. */
    public static final String PENDING = "PENDING";

    /** A delegate without profile information (tests, or a profile that is gone). */
    public static ProfileState none(String requestedName) {
        return new ProfileState(requestedName, null, false, null);
    }

    /** The profile's current name, or the requested name when it is gone. */
    public String name() {
        return assigned != null ? assigned.name() : requestedName;
    }

    /** The last run if it applied the assigned version, else null. */
    public ProfileRun currentRun() {
        return assigned != null && lastRun != null && lastRun.applies(assigned.profileId(), assigned.version())
                ? lastRun
                : null;
    }

    /** RUNNING, SUCCEEDED, FAILED or TIMED_OUT for the assigned version, or {@link #PENDING}. */
    public String status() {
        ProfileRun run = currentRun();
        return run == null ? PENDING : run.status().name();
    }

    /** The selectors the profile adds to the delegate. */
    public List<String> selectors() {
        return assigned == null ? List.of() : assigned.selectors();
    }

    /**
     * Why the delegate may not take tasks because of its profile, or empty when it may: a required
     * profile must have succeeded in its current version; an optional one never blocks.
     */
    public Optional<String> exclusion(Instant now) {
        if (assigned == null || !assigned.required()) {
            return Optional.empty();
        }
        ProfileRun run = currentRun();
        String profile = "profile `" + assigned.name() + "` v" + assigned.version();
        String until = "; not eligible until a run succeeds";
        if (run == null) {
            return Optional.of(profile + " has not run yet" + until);
        }
        return switch (run.status()) {
            case SUCCEEDED -> Optional.empty();
            case RUNNING ->
                Optional.of(profile + " is still running (started " + ago(run.startedAt(), now) + ")" + until);
            case FAILED ->
                Optional.of(
                        profile + " failed" + (run.exitCode() == null ? "" : " (exit " + run.exitCode() + ")") + until);
            case TIMED_OUT -> Optional.of(profile + " timed out after " + assigned.timeoutSeconds() + " s" + until);
        };
    }

    /**
     * What the delegate is told to apply. The script goes along until the delegate reported a run of
     * this version (see {@link ProfileAssignment}); {@code always} sends it regardless (registration).
     */
    public ProfileAssignment assignment(boolean always) {
        if (assigned == null) {
            return null;
        }
        boolean withScript = always || currentRun() == null;
        return new ProfileAssignment(
                assigned.profileId(),
                assigned.name(),
                assigned.version(),
                withScript ? assigned.script() : null,
                assigned.timeoutSeconds() * 1000L,
                assigned.required());
    }

    /** True when the current version's run has ended with {@code status}. */
    public boolean is(ProfileRunStatus status) {
        ProfileRun run = currentRun();
        return run != null && run.status() == status;
    }

    private static String ago(Instant then, Instant now) {
        long s = Math.max(0, Duration.between(then, now).toSeconds());
        return s < 90 ? s + " s ago" : s / 60 + " min ago";
    }
}
