package org.opendelegate.manager.dispatch;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.opendelegate.manager.problems.DomainProblem;

/**
 * Who started a task, so that the Tasks list can tell a person's own work from the lookups the Manager runs
 * for them: a console page that browses a cloud provider starts tasks nobody submitted by hand.
 */
public enum TaskSource {
    /** Submitted through {@code POST /api/v1/tasks}. */
    API("api"),
    /** A cloud provider's Test or lookup asked for through the API. */
    LOOKUP("lookup"),
    /** A cloud provider's Test or lookup asked for in the console. */
    CONSOLE_LOOKUP("console-lookup"),
    /** An ECS deployment (API or console): the task that runs it. */
    DEPLOYMENT("deployment");

    private final String wire;

    TaskSource(String wire) {
        this.wire = wire;
    }

    /** The name the store, the API and the console use. */
    public String wire() {
        return wire;
    }

    /** Every source's name. */
    public static List<String> names() {
        return Arrays.stream(values()).map(TaskSource::wire).toList();
    }

    /**
     * A source filter as a person or a program wrote it: one name or several, comma-separated
     * ({@code api,lookup}); blank is every source.
     */
    static Set<String> parse(String raw) {
        Set<String> sources = new LinkedHashSet<>();
        if (raw == null || raw.isBlank()) {
            return sources;
        }
        for (String part : raw.split(",", -1)) {
            String name = part.trim().toLowerCase(Locale.ROOT);
            if (!names().contains(name)) {
                throw DomainProblem.invalidField(
                        "source",
                        "(\"" + raw.replaceAll("\\p{Cntrl}", "?") + "\") names an unknown source; use one or more of "
                                + names() + ", separated by commas.");
            }
            sources.add(name);
        }
        return sources;
    }
}
