package org.opendelegate.manager.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.opendelegate.manager.delegates.ResolvedDelegate;
import org.opendelegate.manager.store.DelegateAffinity;
import org.opendelegate.manager.store.Task;

/**
 * Decides whether one delegate may run one task, and if not, says why in words a person understands:
 * connected, same account, supports the type, has every required selector, its group's scopes allow the
 * task, its required profile succeeded, and it did not fail the task's affinity key for a reason of its
 * own a moment ago. Pure.
 */
final class Eligibility {
    private Eligibility() {}

    /** The reason the delegate cannot run the task, or empty when it can. */
    static Optional<String> exclusion(ResolvedDelegate delegate, Task task, SelectionContext context) {
        Optional<String> basic = exclusion(delegate, task, context.now(), context.disconnectAfter());
        if (basic.isPresent()) {
            return basic;
        }
        DelegateAffinity failure = context.recentCapabilityFailure(delegate.id());
        if (failure != null) {
            return Optional.of("recent capability failure with `" + task.affinityKey() + "` "
                    + ago(failure.lastCapabilityFailureAt(), context.now()) + ": " + failure.lastFailureMessage());
        }
        return Optional.empty();
    }

    /** The reasons that do not depend on history: connection, account, type, selectors, scopes, profile. */
    static Optional<String> exclusion(ResolvedDelegate delegate, Task task, Instant now, Duration disconnectAfter) {
        if (!delegate.accountId().equals(task.accountId())) {
            return Optional.of("belongs to another account");
        }
        if (!delegate.isConnected(now, disconnectAfter)) {
            Instant since = delegate.delegate().disconnectedSince(disconnectAfter);
            return Optional.of("not connected (disconnected " + ago(since, now) + ")");
        }
        if (!delegate.delegate().taskTypes().contains(task.type())) {
            return Optional.of("does not support task type `" + task.type() + "`");
        }
        List<String> missing = missingSelectors(delegate, task);
        if (!missing.isEmpty()) {
            return Optional.of(
                    missing.size() == 1
                            ? "selector `" + missing.get(0) + "` missing"
                            : "selectors " + quoted(missing) + " missing");
        }
        Optional<String> scope = delegate.group().scopes().exclusion(task.scope());
        return scope.isPresent() ? scope : delegate.profile().exclusion(now);
    }

    /** The task's selectors the delegate does not have. */
    static List<String> missingSelectors(ResolvedDelegate delegate, Task task) {
        List<String> have = delegate.selectorValues();
        List<String> missing = new ArrayList<>();
        for (String s : task.selectors()) {
            if (!have.contains(s)) {
                missing.add(s);
            }
        }
        return missing;
    }

    static String quoted(List<String> values) {
        StringBuilder sb = new StringBuilder();
        for (String v : values) {
            sb.append(sb.length() == 0 ? "" : ", ").append('`').append(v).append('`');
        }
        return sb.toString();
    }

    /** "4 min ago", "12 s ago", "3 h ago". */
    static String ago(Instant then, Instant now) {
        long s = Math.max(0, Duration.between(then, now).toSeconds());
        if (s < 90) {
            return s + " s ago";
        }
        if (s < 90 * 60) {
            return (s / 60) + " min ago";
        }
        return (s / 3600) + " h ago";
    }
}
