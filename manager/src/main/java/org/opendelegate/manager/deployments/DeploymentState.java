package org.opendelegate.manager.deployments;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.opendelegate.manager.problems.DomainProblem;

/** Where a deployment is: waiting, running, or how it ended. */
public enum DeploymentState {
    /** Submitted; its task waits for a delegate. */
    QUEUED,
    /** A delegate works on it. */
    RUNNING,
    /** The service runs the new task definition in a steady state. */
    SUCCEEDED,
    /** It failed and nothing was rolled back (not asked, or it failed before changing anything). */
    FAILED,
    /** It failed and the service was put back as it was. */
    ROLLED_BACK,
    /** It failed and putting the service back failed too: a person must look. */
    ROLLBACK_FAILED,
    /** Cancelled before it ended. */
    CANCELLED,
    /** A dry run that ended: what would change, nothing changed. */
    PREVIEWED;

    /** Whether the deployment still holds its service (queued or running). */
    public boolean isActive() {
        return this == QUEUED || this == RUNNING;
    }

    /** Every state's name, for filters and messages. */
    public static List<String> names() {
        return Arrays.stream(values()).map(Enum::name).toList();
    }

    /**
     * A state as a person or a program wrote it ({@code running}, {@code RUNNING}); blank is none.
     *
     * @throws DomainProblem naming {@code state} when it is no state
     */
    public static DeploymentState parse(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return valueOf(raw.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw DomainProblem.invalidField(
                    "state",
                    "(\"" + raw.replaceAll("\\p{Cntrl}", "?") + "\") is not a deployment state; use one of " + names()
                            + ".");
        }
    }
}
