package org.opendelegate.manager.dispatch;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import org.opendelegate.manager.delegates.ResolvedDelegate;
import org.opendelegate.manager.security.Principal;
import org.opendelegate.manager.store.AuditDao;
import org.opendelegate.manager.store.Task;
import org.opendelegate.protocol.TaskAssignment;
import org.opendelegate.protocol.TaskTypes;

/**
 * The audit trail of shell scripts: who submitted which script (by its SHA-256, never its text) to which
 * selectors, and which delegate each attempt ran on. A script runs with the identity of the place its delegate
 * runs in, so "who ran what where" must be answerable after the fact.
 */
public final class ScriptAudit {
    /** Recorded when a script task is submitted. */
    public static final String SUBMITTED = "task.script.submitted";
    /** Recorded when an attempt of a script task is handed to a delegate. */
    public static final String ASSIGNED = "task.script.assigned";

    private final AuditDao audit;
    private final Clock clock;

    public ScriptAudit(AuditDao audit, Clock clock) {
        this.audit = audit;
        this.clock = clock;
    }

    /** Records a new script task (not an idempotent repeat of one). */
    void submitted(Principal principal, Task task) {
        if (!TaskTypes.SHELL_SCRIPT.equals(task.type())) {
            return;
        }
        String shell = task.payload().path("shell").asText("bash");
        audit.record(
                principal.accountId(),
                clock.instant(),
                principal.actor(),
                SUBMITTED,
                "task",
                task.id(),
                "sha256=" + sha256(task.payload().path("script").asText()) + " shell=" + shell + " selectors="
                        + String.join(",", task.selectors()) + " maxAttempts=" + task.maxAttempts());
    }

    /** Records each script task the answer to a poll hands to the delegate. */
    public void assigned(ResolvedDelegate delegate, List<TaskAssignment> assignments) {
        for (TaskAssignment a : assignments == null ? List.<TaskAssignment>of() : assignments) {
            if (TaskTypes.SHELL_SCRIPT.equals(a.type())) {
                audit.record(
                        delegate.accountId(),
                        clock.instant(),
                        "delegate:" + delegate.id(),
                        ASSIGNED,
                        "task",
                        a.taskId(),
                        "delegate=" + delegate.name() + " group="
                                + delegate.group().name() + " host="
                                + delegate.delegate().hostname() + " attempt=" + a.attempt());
            }
        }
    }

    /** The SHA-256 of the script's UTF-8 text, in lower-case hex: what `sha256sum script.sh` prints. */
    static String sha256(String script) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
