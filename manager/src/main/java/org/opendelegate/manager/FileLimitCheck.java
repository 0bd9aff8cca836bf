package org.opendelegate.manager;

import java.lang.management.ManagementFactory;
import java.util.Optional;

/**
 * Says when the process may open too few files for a fleet. Every connected delegate holds two connections
 * (its heartbeat's and its waiting poll's), and each is an open file: with a limit of 20,000, about 9,750
 * delegates connect and the next ones' connections are refused. The JVM raises its soft limit to the hard one at
 * start, so the hard limit is what counts; it is set outside the Manager (the container runtime, systemd, the
 * ECS task definition).
 */
final class FileLimitCheck {
    /** Enough for 30,000 delegates and the Manager's own files. */
    static final long RECOMMENDED = 65_536;
    /** The Manager's own files: jars, the store, console and database connections. */
    static final long OWN_FILES = 500;

    private FileLimitCheck() {}

    /** The warning for this process, if any (none where the JVM cannot tell its limit). */
    static Optional<String> ofThisProcess() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return warning(unix.getMaxFileDescriptorCount());
        }
        return Optional.empty();
    }

    /** The warning for a process that may open at most {@code maxOpenFiles} files, if any. */
    static Optional<String> warning(long maxOpenFiles) {
        if (maxOpenFiles >= RECOMMENDED) {
            return Optional.empty();
        }
        long delegates = Math.max(0, (maxOpenFiles - OWN_FILES) / 2);
        return Optional.of(String.format(
                java.util.Locale.ROOT,
                "This process may open at most %,d files, sockets included: every connected delegate holds two"
                        + " connections (heartbeat and waiting poll), so about %,d delegates can connect before new"
                        + " connections are refused. Raise the limit to at least %,d: ulimit -n, LimitNOFILE= in a"
                        + " systemd unit, or the nofile ulimit of the ECS task definition (docs/operations.md, Sizing).",
                maxOpenFiles,
                delegates,
                RECOMMENDED));
    }
}
