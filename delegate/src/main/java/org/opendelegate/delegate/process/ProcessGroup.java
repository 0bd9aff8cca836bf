package org.opendelegate.delegate.process;

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
 * Starts a script in a process group of its own and signals the whole group: the script's children too,
 * not just the shell. The group comes from {@code setsid} (util-linux on Debian, busybox on Alpine); where
 * it is missing, the process's descendants as the JDK sees them are signalled instead, which misses
 * children that were re-parented before the signal. Profile scripts and script tasks both run this way.
 */
public final class ProcessGroup {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessGroup.class);
    private static final Duration KILL_COMMAND_WAIT = Duration.ofSeconds(2);
    private static final String SETSID = findSetsid();

    private ProcessGroup() {}

    /** The command that runs {@code program} in a new session, hence a new process group led by its pid. */
    public static List<String> command(List<String> program) {
        List<String> command = new ArrayList<>();
        if (SETSID != null) {
            command.add(SETSID);
        }
        command.addAll(program);
        return command;
    }

    /** TERM to the group and every descendant; after {@code grace}, KILL to whatever is left. */
    public static void kill(Process process, Duration grace) throws InterruptedException {
        List<ProcessHandle> family = terminate(process);
        if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)
                && family.stream().noneMatch(ProcessHandle::isAlive)) {
            signalGroup(process.pid(), "KILL");
            return;
        }
        forceKill(process, family);
    }

    /**
     * One TERM to each process of the script: to its group, and to the descendants the JDK sees that left the
     * group. A process gets no second TERM: bash runs a TERM trap again for it, so a script's cleanup would
     * take twice its time and could be killed halfway. Returns the descendants, so that a later
     * {@link #forceKill} reaches them even once they were re-parented.
     */
    public static List<ProcessHandle> terminate(Process process) throws InterruptedException {
        List<ProcessHandle> family = new ArrayList<>(process.descendants().toList());
        if (signalGroup(process.pid(), "TERM")) {
            family.stream().filter(p -> !inGroup(p, process.pid())).forEach(ProcessHandle::destroy);
        } else {
            process.toHandle().destroy();
            family.forEach(ProcessHandle::destroy);
        }
        return family;
    }

    /**
     * Whether {@code process} is in the process group {@code group}, from /proc/[pid]/stat (the group is the
     * third field after the command name). A process that is gone counts as in it: there is nothing to signal.
     */
    static boolean inGroup(ProcessHandle process, long group) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[2]) == group;
        } catch (IOException | RuntimeException e) {
            return !process.isAlive();
        }
    }

    /** KILL to the group, to {@code family} and to every descendant still seen; waits briefly for the leader. */
    public static void forceKill(Process process, List<ProcessHandle> family) throws InterruptedException {
        List<ProcessHandle> all = new ArrayList<>(family);
        all.addAll(process.descendants().toList());
        signalGroup(process.pid(), "KILL");
        process.toHandle().destroyForcibly();
        all.forEach(ProcessHandle::destroyForcibly);
        process.waitFor(KILL_COMMAND_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * KILL to what is left of a group whose leader exited: children that a script started in the background
     * and that would otherwise outlive it.
     */
    public static void killLeftovers(Process process) throws InterruptedException {
        signalGroup(process.pid(), "KILL");
    }

    /**
     * Signals the script's process group, including what is left of it once its leader exited (children
     * that outlived a killed script). Through bash's own {@code kill}: the procps {@code kill} of Debian 12
     * (4.0.2) misreads a negative pid after a signal option, and a misread group is the whole machine.
     */
    private static boolean signalGroup(long pid, String signal) throws InterruptedException {
        if (SETSID == null || pid <= 1) {
            return false;
        }
        try {
            // "--" ends the options, so "-<pid>" is the group; a group that is gone already fails quietly.
            return run("bash", "-c", "kill -s " + signal + " -- -\"$1\" 2>/dev/null", "kill", Long.toString(pid));
        } catch (IOException e) {
            LOG.warn(
                    "Cannot signal process group {} ({}); signalling the script's processes one by one",
                    pid,
                    e.getMessage());
            return false;
        }
    }

    /** Whether the command exited 0 in time. */
    private static boolean run(String... command) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!kill.waitFor(KILL_COMMAND_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            kill.destroyForcibly();
            return false;
        }
        return kill.exitValue() == 0;
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
