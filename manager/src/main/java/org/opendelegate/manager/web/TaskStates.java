package org.opendelegate.manager.web;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.store.TaskState;

/** Task states as the console names and colours them. */
public final class TaskStates {
    private TaskStates() {
    }

    /** "Timed out" for TIMED_OUT. */
    public static String label(String state) {
        String lower = state.toLowerCase(Locale.ROOT).replace('_', ' ');
        return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
    }

    /** The CSS class of a state's badge, e.g. {@code state-timed-out}. */
    public static String css(String state) {
        return "state-" + state.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static List<String> all() {
        return Arrays.stream(TaskState.values()).map(Enum::name).toList();
    }

    /** A state filter as a person picked it; blank is every state. */
    static TaskState parse(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return TaskState.valueOf(raw.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw DomainProblem.invalidField("state", "(\"" + raw.replaceAll("\\p{Cntrl}", "?")
                    + "\") is not a task state; use one of " + all() + ".");
        }
    }

    static boolean isActive(String state) {
        return !TaskState.valueOf(state).isTerminal();
    }
}
