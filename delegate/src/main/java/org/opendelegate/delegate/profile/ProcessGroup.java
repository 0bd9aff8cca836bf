package org.opendelegate.delegate.profile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a script in a process group of its own and kills the whole group: the script's children too,
 * not just bash. The group comes from {@code setsid} (util-linux on Debian, busybox on Alpine); where
 * it is missing, the process's descendants as the JDK sees them are killed instead, which misses
 * children that were re-parented before the kill.
 */
final class ProcessGroup {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessGroup.class);
    static final Duration GRACE = Duration.ofSeconds(2);
    private static final String SETSID = findSetsid();

    private ProcessGroup() {}

    /** The command that runs {@code bash script} in a new session, hence a new process group. */
    static List<String> command(String script) {
        List<String> command = new ArrayList<>();
        if (SETSID != null) {
            command.add(SETSID);
        }
        command.add("bash");
        command.add(script);
        return command;
    }

    /** TERM to the group and every descendant; after {@link #GRACE}, KILL to whatever is left. */
    static void kill(Process process) throws InterruptedException {
        List<ProcessHandle> family = new ArrayList<>(process.descendants().toList());
        signalGroup(process.pid(), "TERM");
        process.destroy();
        family.forEach(ProcessHandle::destroy);
        if (process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)
                && family.stream().noneMatch(ProcessHandle::isAlive)) {
            signalGroup(process.pid(), "KILL");
            return;
        }
        family.addAll(process.descendants().toList());
        signalGroup(process.pid(), "KILL");
        process.destroyForcibly();
        family.forEach(ProcessHandle::destroyForcibly);
        process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Signals the script's process group, including what is left of it once its leader exited (children
     * that outlived a killed script). Through bash's own {@code kill}: the procps {@code kill} of Debian 12
     * (4.0.2) misreads a negative pid after a signal option, and a misread group is the whole machine.
     */
    private static void signalGroup(long pid, String signal) throws InterruptedException {
        if (SETSID == null || pid <= 1) {
            return;
        }
        try {
            // "--" ends the options, so "-<pid>" is the group; a group that is gone already is no error.
            run("bash", "-c", "kill -s " + signal + " -- -\"$1\" 2>/dev/null", "kill", Long.toString(pid));
        } catch (IOException e) {
            LOG.warn(
                    "Cannot signal process group {} ({}); killing the script's processes one by one",
                    pid,
                    e.getMessage());
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!kill.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
            kill.destroyForcibly();
        }
    }

    private static String findSetsid() {
        for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
            Path candidate = Path.of(dir, "setsid");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
