package org.opendelegate.delegate.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code NO_PROXY} list: comma-separated entries, each {@code *} (everything), a domain
 * ({@code example.com} matches it and its subdomains, {@code .example.com} only subdomains), an IP
 * address, or an IPv4 CIDR block ({@code 10.0.0.0/8}); any entry may end in {@code :port}.
 */
public final class NoProxy {
    private final String raw;
    private final List<String> entries;

    private NoProxy(String raw, List<String> entries) {
        this.raw = raw;
        this.entries = entries;
    }

    static NoProxy parse(String raw) {
        List<String> entries = new ArrayList<>();
        for (String part : raw.split(",")) {
            String entry = part.trim().toLowerCase(Locale.ROOT);
            if (!entry.isEmpty()) {
                entries.add(entry);
            }
        }
        return new NoProxy(raw.trim(), List.copyOf(entries));
    }

    /** True when calls to {@code target} go direct. Loopback always does: a proxy cannot reach it. */
    public boolean bypasses(URI target) {
        String host =
                stripBrackets(target.getHost() == null ? "" : target.getHost().toLowerCase(Locale.ROOT));
        int port = target.getPort() > 0 ? target.getPort() : "https".equalsIgnoreCase(target.getScheme()) ? 443 : 80;
        if (isLoopback(host)) {
            return true;
        }
        for (String entry : entries) {
            if (matches(entry, host, port)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(String entry, String host, int port) {
        if (entry.equals("*")) {
            return true;
        }
        String pattern = entry;
        int colon = entry.lastIndexOf(':');
        if (colon > 0 && entry.indexOf(':') == colon && entry.indexOf('/') < 0) {
            if (!entry.substring(colon + 1).equals(Integer.toString(port))) {
                return false;
            }
            pattern = entry.substring(0, colon);
        }
        pattern = stripBrackets(pattern);
        if (pattern.contains("/")) {
            return Ipv4Cidr.contains(pattern, host);
        }
        if (pattern.startsWith("*.")) {
            pattern = pattern.substring(1);
        }
        if (pattern.startsWith(".")) {
            return host.endsWith(pattern);
        }
        return host.equals(pattern) || host.endsWith("." + pattern);
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost")
                || host.endsWith(".localhost")
                || host.startsWith("127.")
                || host.equals("::1")
                || host.equals("0:0:0:0:0:0:0:1");
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    @Override
    public String toString() {
        return raw.isEmpty() ? "(none; loopback is never proxied)" : raw + " (and loopback)";
    }
}
