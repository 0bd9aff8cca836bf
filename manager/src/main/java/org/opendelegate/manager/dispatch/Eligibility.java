package org.opendelegate.manager.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntPredicate;
import org.opendelegate.manager.delegates.EffectiveSelector;
import org.opendelegate.manager.delegates.ResolvedDelegate;
import org.opendelegate.manager.store.DelegateAffinity;
import org.opendelegate.manager.store.Task;
import org.opendelegate.protocol.TaskTypes;

/**
 * Decides whether one delegate may run one task, and if not, says why in words a person understands:
 * connected, same account, supports the type, has every required selector, its group's scopes allow the
 * task, its required profile succeeded, and it did not fail the task's affinity key for a reason of its
 * own a moment ago. Pure.
 *
 * <p>A task that carries secrets or credentials counts only the selectors an admin granted the delegate
 * (see {@link #carriesSecrets}): anyone holding a delegate token can declare any selector about itself, so a
 * self-declared selector must never be what brings a secret to a delegate.
 */
final class Eligibility {
    /** The reason, without its details, that excludes a delegate that is not connected. */
    static final String NOT_CONNECTED = "not connected";

    private Eligibility() {}

    /**
     * A reason of exclusion without what differs from one delegate to the next (how long ago, an exit code,
     * a failure message), so that delegates excluded for the same reason are counted together: "not
     * connected (disconnected 4 min ago)" is "not connected".
     */
    static String kind(String reason) {
        if (reason.startsWith(NOT_CONNECTED)) {
            return NOT_CONNECTED;
        }
        String failure = "recent capability failure with `";
        if (reason.startsWith(failure)) {
            int end = reason.indexOf('`', failure.length());
            return end < 0 ? reason : reason.substring(0, end + 1);
        }
        int details = reason.indexOf(" (");
        return details < 0 ? reason : reason.substring(0, details);
    }

    /** The reason the delegate cannot run the task, or empty when it can. */
    static Optional<String> exclusion(ResolvedDelegate delegate, Task task, SelectionContext context) {
        return exclusion(delegate, task, context, new TaskReasons(task));
    }

    /** The same, with the task's reasons shared by the other delegates of one decision. */
    static Optional<String> exclusion(
            ResolvedDelegate delegate, Task task, SelectionContext context, TaskReasons reasons) {
        Optional<String> basic = exclusion(delegate, task, context.now(), context.disconnectAfter(), reasons);
        if (basic.isPresent()) {
            return basic;
        }
        DelegateAffinity failure = context.recentCapabilityFailure(delegate.id());
        if (failure != null) {
            return Optional.of("could not act for " + affinityName(task) + " "
                    + ago(failure.lastCapabilityFailureAt(), context.now()) + " and is not tried again for a while: "
                    + failure.lastFailureMessage());
        }
        return Optional.empty();
    }

    /**
     * What the task's affinity key stands for, by name: a cloud provider's tasks carry its name in their payload
     * (their key is the provider's id, which means nothing to a person); other keys are shown as they are.
     */
    static String affinityName(Task task) {
        if (task.payload() != null && task.payload().hasNonNull("providerName")) {
            return "cloud provider `" + task.payload().get("providerName").asText() + "`";
        }
        return "`" + task.affinityKey() + "`";
    }

    /** The reasons that do not depend on history: connection, account, type, selectors, scopes, profile. */
    static Optional<String> exclusion(ResolvedDelegate delegate, Task task, Instant now, Duration disconnectAfter) {
        return exclusion(delegate, task, now, disconnectAfter, new TaskReasons(task));
    }

    /**
     * The same, with the task's reasons shared by the other delegates looked at for it: a look over a fleet of
     * thousands builds one reason for each way of lacking the task's type or selectors, not one per delegate.
     */
    static Optional<String> exclusion(
            ResolvedDelegate delegate, Task task, Instant now, Duration disconnectAfter, TaskReasons reasons) {
        if (!delegate.accountId().equals(task.accountId())) {
            return Optional.of("belongs to another account");
        }
        if (!delegate.isConnected(now, disconnectAfter)) {
            Instant since = delegate.delegate().disconnectedSince(disconnectAfter);
            return Optional.of(NOT_CONNECTED + " (disconnected " + ago(since, now) + ")");
        }
        if (!delegate.delegate().taskTypes().contains(task.type())) {
            return reasons.unsupportedType();
        }
        Optional<String> selectors = reasons.selectorMisfit(delegate);
        if (selectors.isPresent()) {
            return selectors;
        }
        Optional<String> scope = delegate.group().scopes().exclusion(task.scope());
        return scope.isPresent() ? scope : delegate.profile().exclusion(now);
    }

    /**
     * True when the task carries secrets or credentials (a cloud provider's access keys, sealed with the task;
     * anything sealed with a task later), or is a shell script: a script runs with the identity of the place its
     * delegate runs in and may reference secrets the delegate resolves itself, so it counts as carrying secrets
     * even without any. The one place routing asks this question.
     */
    static boolean carriesSecrets(Task task) {
        return task.sealedSecrets() != null || TaskTypes.SHELL_SCRIPT.equals(task.type());
    }

    /** Which kind of task counts only trusted selectors, for the selection log: a script or one with secrets. */
    static String trustedOnlyKind(Task task) {
        return TaskTypes.SHELL_SCRIPT.equals(task.type())
                ? "shell scripts (which run with the delegate's identity)"
                : "tasks that carry secrets";
    }

    /** The delegate's selectors that count for this task: only the trusted ones when it carries secrets. */
    static List<String> routingSelectors(ResolvedDelegate delegate, Task task) {
        return carriesSecrets(task) ? delegate.trustedSelectorValues() : delegate.selectorValues();
    }

    /** The task's selectors the delegate does not have (or has only self-declared, for a task with secrets). */
    static List<String> missingSelectors(ResolvedDelegate delegate, Task task) {
        List<String> have = routingSelectors(delegate, task);
        List<String> missing = new ArrayList<>();
        for (String s : task.selectors()) {
            if (!have.contains(s)) {
                missing.add(s);
            }
        }
        return missing;
    }

    /**
     * Why the delegate's selectors do not fit the task, or empty when they do: selectors it lacks, and
     * selectors it only declared itself when the task carries secrets.
     */
    static Optional<String> selectorExclusion(ResolvedDelegate delegate, Task task) {
        return new TaskReasons(task).selectorMisfit(delegate);
    }

    /**
     * The reasons one task gives for not fitting delegates, each built once: whether a delegate lacks the task's
     * type or some of its selectors is worked out without building text, and the words for each way of lacking
     * them are written the first time a delegate lacks them that way. Not thread-safe: one per task and decision.
     */
    static final class TaskReasons {
        private final Task task;
        private final boolean trustedOnly;
        private Optional<String> unsupportedType;
        private Map<Misfit, Optional<String>> selectorMisfits;

        TaskReasons(Task task) {
            this.task = task;
            this.trustedOnly = carriesSecrets(task);
        }

        /** Which of the task's selectors (by position) a delegate lacks, and which of those it declared itself. */
        private record Misfit(long missing, long selfDeclared) {}

        Optional<String> unsupportedType() {
            if (unsupportedType == null) {
                unsupportedType = Optional.of("does not support task type `" + task.type() + "`");
            }
            return unsupportedType;
        }

        /** Why the delegate's selectors do not fit the task, or empty when they do. */
        Optional<String> selectorMisfit(ResolvedDelegate delegate) {
            List<String> wanted = task.selectors();
            if (wanted.size() > Long.SIZE) { // more than a pattern holds: each delegate's words built anew
                List<String> have = routingSelectors(delegate, task);
                List<String> declared = delegate.selectorValues();
                return describe(i -> !have.contains(wanted.get(i)), i -> declared.contains(wanted.get(i)));
            }
            long declared = 0;
            long trusted = 0;
            for (EffectiveSelector e : delegate.selectors()) {
                for (int i = 0; i < wanted.size(); i++) {
                    if (wanted.get(i).equals(e.value())) {
                        declared |= 1L << i;
                        trusted |= e.trusted() ? 1L << i : 0;
                    }
                }
            }
            long all = wanted.size() == Long.SIZE ? -1L : (1L << wanted.size()) - 1;
            long missing = all & ~(trustedOnly ? trusted : declared);
            if (missing == 0) {
                return Optional.empty();
            }
            if (selectorMisfits == null) {
                selectorMisfits = new HashMap<>();
            }
            return selectorMisfits.computeIfAbsent(
                    new Misfit(missing, missing & declared),
                    m -> describe(i -> (m.missing() >>> i & 1) != 0, i -> (m.selfDeclared() >>> i & 1) != 0));
        }

        private Optional<String> describe(IntPredicate missing, IntPredicate selfDeclared) {
            List<String> wanted = task.selectors();
            List<String> absent = new ArrayList<>();
            List<String> declaredOnly = new ArrayList<>();
            for (int i = 0; i < wanted.size(); i++) {
                if (missing.test(i)) {
                    (selfDeclared.test(i) ? declaredOnly : absent).add(wanted.get(i));
                }
            }
            if (absent.isEmpty() && declaredOnly.isEmpty()) {
                return Optional.empty();
            }
            List<String> parts = new ArrayList<>();
            if (!absent.isEmpty()) {
                parts.add(
                        absent.size() == 1
                                ? "selector `" + absent.get(0) + "` missing"
                                : "selectors " + quoted(absent) + " missing");
            }
            if (!declaredOnly.isEmpty()) {
                boolean one = declaredOnly.size() == 1;
                parts.add(quoted(declaredOnly) + (one ? " is" : " are") + " only self-declared by this delegate; "
                        + trustedOnlyKind(task) + " need " + (one ? "it" : "them") + " from its group");
            }
            return Optional.of(String.join("; ", parts));
        }
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
