package org.opendelegate.manager.dispatch;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.store.TaskState;

/** Task states by name, as the API and the console filter by them and show them. */
public final class TaskStateNames {
    private TaskStateNames() {}

    /** Every state, in the order of a task's life. */
    public static List<String> all() {
        return Arrays.stream(TaskState.values()).map(Enum::name).toList();
    }

    /** True while a task in this state can still change (queued or running). */
    public static boolean isActive(String state) {
        return !TaskState.valueOf(state).isTerminal();
    }

    /** A state filter as a person or a program wrote it ({@code failed}, {@code TIMED_OUT}); blank is every state. */
    static TaskState parse(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return TaskState.valueOf(raw.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw DomainProblem.invalidField(
                    "state",
                    "(\"" + raw.replaceAll("\\p{Cntrl}", "?") + "\") is not a task state; use one of " + all() + ".");
        }
    }
}
