package org.opendelegate.delegate.ecs;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;

/**
 * What the process sees of its host.
 *
 * @param hostname the host name (in a container: the container's host name)
 * @param ip the first non-loopback site-local IPv4 address, or null
 */
public record HostInfo(String hostname, String ip) {

    /**
     * Looks the host up without DNS where it can: {@code HOSTNAME} (set in containers), then the kernel's
     * host name, and only then {@link InetAddress#getLocalHost()}, which can stall on a broken resolver.
     */
    public static HostInfo detect(Map<String, String> env) {
        return new HostInfo(hostname(env), siteLocalIpv4());
    }

    static String hostname(Map<String, String> env) {
        String fromEnv = env.get("HOSTNAME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.trim();
        }
        try {
            String kernel =
                    Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            if (!kernel.isEmpty()) {
                return kernel;
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or /proc is hidden: ask the JDK below.
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    static String siteLocalIpv4() {
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address && address.isSiteLocalAddress()) {
                        return address.getHostAddress();
                    }
                }
            }
        } catch (SocketException | RuntimeException e) {
            // No address is an honest answer; the Manager shows none.
        }
        return null;
    }
}
