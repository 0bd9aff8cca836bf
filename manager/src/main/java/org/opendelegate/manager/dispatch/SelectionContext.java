package org.opendelegate.manager.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.opendelegate.manager.store.DelegateAffinity;

/**
 * Everything routing needs to know besides the task and the delegates, gathered once per decision.
 *
 * @param now the time of the decision
 * @param disconnectAfter the liveness window
 * @param avoidAfterCapabilityFailure how long a delegate that failed the task's affinity key with a
 *     capability error is avoided
 * @param affinity what each delegate did lately with the task's affinity key (empty without a key)
 * @param failedBefore delegates that already ran an attempt of this task that did not succeed
 */
record SelectionContext(
        Instant now,
        Duration disconnectAfter,
        Duration avoidAfterCapabilityFailure,
        Map<String, DelegateAffinity> affinity,
        Set<String> failedBefore) {

    /** How long a success with the affinity key counts as recent. */
    static final Duration RECENT_SUCCESS = Duration.ofHours(1);

    /** The recent capability failure of a delegate with the key, if it is still to be avoided. */
    DelegateAffinity recentCapabilityFailure(String delegateId) {
        DelegateAffinity a = affinity.get(delegateId);
        if (a == null || a.lastCapabilityFailureAt() == null) {
            return null;
        }
        boolean recent =
                a.lastCapabilityFailureAt().plus(avoidAfterCapabilityFailure).isAfter(now);
        boolean succeededSince = a.lastSuccessAt() != null && a.lastSuccessAt().isAfter(a.lastCapabilityFailureAt());
        return recent && !succeededSince ? a : null;
    }

    /** When the delegate last succeeded with the key, if recently. */
    Instant recentSuccess(String delegateId) {
        DelegateAffinity a = affinity.get(delegateId);
        return a != null
                        && a.lastSuccessAt() != null
                        && a.lastSuccessAt().plus(RECENT_SUCCESS).isAfter(now)
                ? a.lastSuccessAt()
                : null;
    }
}
