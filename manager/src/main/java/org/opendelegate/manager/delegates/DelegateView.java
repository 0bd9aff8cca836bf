package org.opendelegate.manager.delegates;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.opendelegate.manager.store.Delegate;
import org.opendelegate.protocol.EcsIdentity;

/**
 * A delegate as the API and the console show it.
 *
 * @param selectors the effective selectors (group ∪ own ∪ implicit), lower case
 * @param selectorDetails the same with where each comes from and whether an admin granted it
 * @param status {@code CONNECTED} or {@code DISCONNECTED}
 * @param registeredWith the delegate token it registered with; null when it registered without one
 */
public record DelegateView(
        String id,
        String name,
        String hostname,
        String ip,
        String groupId,
        String groupName,
        String type,
        String launchType,
        String identityKind,
        String version,
        Profile profile,
        List<String> selectors,
        List<EffectiveSelector> selectorDetails,
        String status,
        Instant lastHeartbeatAt,
        Instant connectedSince,
        Instant disconnectedAt,
        String disconnectReason,
        int capacity,
        List<String> taskTypes,
        EcsIdentity ecs,
        Instant firstRegisteredAt,
        RegisteredWith registeredWith) {

    public static final String CONNECTED = "CONNECTED";
    public static final String DISCONNECTED = "DISCONNECTED";

    /**
     * The delegate profile a delegate applies, and how its run of the current version went.
     *
     * @param id the profile id; null when the profile the delegate asked for no longer exists
     * @param version the version the delegate must apply
     * @param viaGroup true when the group's profile overrides the delegate's {@code DELEGATE_PROFILE}
     * @param status {@code RUNNING}, {@code SUCCEEDED}, {@code FAILED} or {@code TIMED_OUT} for the
     *     current version, or {@code PENDING} while no run of it was reported
     * @param exitCode the script's exit code, when it exited by itself
     * @param durationMillis how long the run took (or has taken so far)
     * @param lastRunVersion the version of the last reported run, which may be an earlier one
     */
    public record Profile(
            String id,
            String name,
            Integer version,
            Boolean required,
            boolean viaGroup,
            String status,
            Integer exitCode,
            Instant startedAt,
            Instant finishedAt,
            Long durationMillis,
            Integer lastRunVersion) {

        static Profile of(ProfileState state, Instant now) {
            var assigned = state.assigned();
            var current = state.currentRun();
            Long duration = current == null
                    ? null
                    : Duration.between(current.startedAt(), current.finishedAt() != null ? current.finishedAt() : now)
                            .toMillis();
            return new Profile(
                    assigned == null ? null : assigned.profileId(),
                    state.name(),
                    assigned == null ? null : assigned.version(),
                    assigned == null ? null : assigned.required(),
                    state.viaGroup(),
                    state.status(),
                    current == null ? null : current.exitCode(),
                    current == null ? null : current.startedAt(),
                    current == null ? null : current.finishedAt(),
                    duration,
                    state.lastRun() == null ? null : state.lastRun().version());
        }
    }

    /**
     * The delegate token a delegate registered with.
     *
     * @param accountWide true when the token is bound to no group: whoever holds it can register into any
     *     unlocked group, so the console marks these delegates and offers to lock their group
     */
    public record RegisteredWith(String tokenId, String tokenName, boolean accountWide) {
        static RegisteredWith of(TokenView token) {
            return token == null ? null : new RegisteredWith(token.id(), token.name(), token.groupId() == null);
        }
    }

    /** The view of a delegate; {@code token} is the token it registered with, or null. */
    static DelegateView of(ResolvedDelegate entry, TokenView token, Instant now, Duration disconnectAfter) {
        Delegate d = entry.delegate();
        boolean connected = d.isConnected(now, disconnectAfter);
        return new DelegateView(
                d.id(),
                d.name(),
                d.hostname(),
                d.ip(),
                entry.group().id(),
                entry.group().name(),
                d.type().name(),
                d.launchType(),
                d.identityKind().name(),
                d.version(),
                Profile.of(entry.profile(), now),
                entry.selectorValues(),
                entry.selectors(),
                connected ? CONNECTED : DISCONNECTED,
                d.lastHeartbeatAt(),
                connected ? d.connectedSince() : null,
                connected ? null : d.disconnectedSince(disconnectAfter),
                connected ? null : d.disconnectReason() == null ? "missed heartbeats" : d.disconnectReason(),
                d.capacity(),
                d.taskTypes(),
                d.ecs(),
                d.firstRegisteredAt(),
                RegisteredWith.of(token));
    }

    /** True when it registered with a token bound to no group. */
    public boolean usesAccountWideToken() {
        return registeredWith != null && registeredWith.accountWide();
    }

    public boolean isConnected() {
        return CONNECTED.equals(status);
    }
}
