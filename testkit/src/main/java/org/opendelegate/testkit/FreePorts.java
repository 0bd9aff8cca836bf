package org.opendelegate.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for a process a test starts next (a Manager, a delegate's health endpoint, moto, HAProxy).
 *
 * <p>They are taken below the kernel's ephemeral range. The outgoing connections of the tests running beside
 * take their local ports from that range, and once one took a port handed out from it before the delegate
 * given it could bind it ({@code Address already in use}).
 */
public final class FreePorts {
    /** Below it, ports are left to servers; 10000 keeps clear of the well-known and the local services' ports. */
    private static final int LOWEST_PORT = 10_000;

    private FreePorts() {}

    /** A loopback port that is free now. */
    public static int next() {
        int ephemeralStart = ephemeralRangeStart();
        for (int tries = 0; tries < 200 && ephemeralStart > LOWEST_PORT + 1_000; tries++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST_PORT, ephemeralStart);
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return port;
            } catch (IOException taken) {
                // another one
            }
        }
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int ephemeralRangeStart() {
        try {
            return Integer.parseInt(Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                    .trim()
                    .split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
