package org.opendelegate.manager.web;

import java.util.List;
import java.util.Locale;
import org.opendelegate.manager.dispatch.TaskStateNames;

/** Task states as the console names and colours them. */
public final class TaskStates {
    private TaskStates() {}

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
        return TaskStateNames.all();
    }

    static boolean isActive(String state) {
        return TaskStateNames.isActive(state);
    }
}
