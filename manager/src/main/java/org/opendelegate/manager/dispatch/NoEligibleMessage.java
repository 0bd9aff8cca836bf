package org.opendelegate.manager.dispatch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.opendelegate.manager.delegates.ResolvedDelegate;
import org.opendelegate.manager.store.Task;
import org.opendelegate.protocol.TaskTypes;

/**
 * Explains why no delegate can run a task, naming what is missing and the nearest candidates, e.g.
 * "no connected delegate has selector `ecs-prod`; `ecs-1` has it but disconnected 4 min ago". For a task
 * that carries secrets, only selectors an admin granted count (see {@link Eligibility#carriesSecrets}).
 */
final class NoEligibleMessage {
    private static final int NEAREST = 3;

    private NoEligibleMessage() {}

    static String of(Task task, List<ResolvedDelegate> delegates, SelectionContext context) {
        if (delegates.isEmpty()) {
            return "No delegate is registered in this account. Install one: Setup → Delegates → Download Delegate.";
        }
        List<ResolvedDelegate> connected = delegates.stream()
                .filter(d -> d.isConnected(context.now(), context.disconnectAfter()))
                .toList();
        List<String> parts = new ArrayList<>();
        parts.add(headline(task, connected));
        for (ResolvedDelegate d : nearestDisconnected(task, delegates, context)) {
            parts.add("`" + d.name() + "` has " + (task.selectors().size() == 1 ? "it" : "them") + " but disconnected "
                    + Eligibility.ago(d.delegate().disconnectedSince(context.disconnectAfter()), context.now()));
        }
        for (ResolvedDelegate d : nearestConnected(task, connected)) {
            List<String> missing = Eligibility.missingSelectors(d, task);
            Optional<String> reason = Eligibility.exclusion(d, task, context);
            boolean onlySelfDeclared = missing.stream().anyMatch(d.selectorValues()::contains);
            if (onlySelfDeclared) {
                parts.add("`" + d.name() + "` is connected but "
                        + Eligibility.selectorExclusion(d, task).orElseThrow());
            } else if (!missing.isEmpty()) {
                parts.add("`" + d.name() + "` is connected but lacks " + Eligibility.quoted(missing));
            } else if (reason.isPresent()) {
                parts.add("`" + d.name() + "` is connected but " + reason.get());
            }
        }
        return String.join("; ", parts) + ".";
    }

    private static String headline(Task task, List<ResolvedDelegate> connected) {
        if (connected.isEmpty()) {
            return "no delegate of this account is connected";
        }
        List<ResolvedDelegate> withType = connected.stream()
                .filter(d -> d.delegate().taskTypes().contains(task.type()))
                .toList();
        if (withType.isEmpty()) {
            return "no connected delegate supports task type `" + task.type() + "`";
        }
        List<String> missingEverywhere = new ArrayList<>();
        for (String s : task.selectors()) {
            if (withType.stream()
                    .noneMatch(d -> Eligibility.routingSelectors(d, task).contains(s))) {
                missingEverywhere.add(s);
            }
        }
        if (!missingEverywhere.isEmpty()) {
            return "no connected delegate has " + (missingEverywhere.size() == 1 ? "selector " : "selectors ")
                    + Eligibility.quoted(missingEverywhere)
                    + (Eligibility.carriesSecrets(task)
                            ? " from its group ("
                                    + (TaskTypes.SHELL_SCRIPT.equals(task.type())
                                            ? "a shell script runs with the delegate's identity"
                                            : "the task carries secrets")
                                    + ", so selectors a delegate declares about itself do not count)"
                            : "");
        }
        if (withType.stream()
                .noneMatch(d -> Eligibility.missingSelectors(d, task).isEmpty())) {
            return "no connected delegate has all of the selectors " + Eligibility.quoted(task.selectors());
        }
        return "no connected delegate is eligible";
    }

    private static List<ResolvedDelegate> nearestDisconnected(
            Task task, List<ResolvedDelegate> delegates, SelectionContext context) {
        return delegates.stream()
                .filter(d -> !d.isConnected(context.now(), context.disconnectAfter()))
                .filter(d -> Eligibility.missingSelectors(d, task).isEmpty())
                .sorted(Comparator.comparing(
                                (ResolvedDelegate d) -> d.delegate().lastHeartbeatAt())
                        .reversed())
                .limit(NEAREST)
                .toList();
    }

    private static List<ResolvedDelegate> nearestConnected(Task task, List<ResolvedDelegate> connected) {
        return connected.stream()
                .sorted(Comparator.comparingInt((ResolvedDelegate d) ->
                                Eligibility.missingSelectors(d, task).size())
                        .thenComparing(ResolvedDelegate::name))
                .limit(NEAREST)
                .toList();
    }
}
