package org.opendelegate.delegate.config;

import java.net.Proxy;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The standard proxy variables, read the way Go and most CLIs read them: {@code HTTPS_PROXY} for https
 * targets, {@code HTTP_PROXY} for http targets, {@code NO_PROXY} for exceptions. The upper-case name
 * wins when both spellings are set. Loopback targets are never proxied.
 *
 * @param https the proxy for https targets, or null
 * @param http the proxy for http targets, or null
 * @param noProxy the hosts that bypass the proxy
 */
public record ProxySettings(ProxyEndpoint https, ProxyEndpoint http, NoProxy noProxy) {

    /** No proxy at all. */
    public static ProxySettings none() {
        return new ProxySettings(null, null, NoProxy.parse(""));
    }

    /** Reads the variables, adding one line per problem to {@code problems}. */
    static ProxySettings parse(Map<String, String> env, List<String> problems) {
        ProxyEndpoint https = endpoint(env, "HTTPS_PROXY", problems);
        ProxyEndpoint http = endpoint(env, "HTTP_PROXY", problems);
        String noProxy = either(env, "NO_PROXY");
        return new ProxySettings(https, http, NoProxy.parse(noProxy == null ? "" : noProxy));
    }

    /** The proxy to use for a Manager call to {@code target}; {@link Proxy#NO_PROXY} to go direct. */
    public Proxy proxyFor(URI target) {
        ProxyEndpoint endpoint = endpointFor(target);
        return endpoint == null ? Proxy.NO_PROXY : endpoint.toProxy();
    }

    /** The proxy endpoint for {@code target}, or null to go direct. */
    public ProxyEndpoint endpointFor(URI target) {
        ProxyEndpoint endpoint = "https".equalsIgnoreCase(target.getScheme()) ? https : http;
        if (endpoint == null || noProxy.bypasses(target)) {
            return null;
        }
        return endpoint;
    }

    List<String> describe() {
        List<String> lines = new ArrayList<>();
        lines.add("HTTPS_PROXY=" + (https == null ? "(none)" : https));
        lines.add("HTTP_PROXY=" + (http == null ? "(none)" : http));
        lines.add("NO_PROXY=" + noProxy);
        return lines;
    }

    private static ProxyEndpoint endpoint(Map<String, String> env, String name, List<String> problems) {
        String raw = either(env, name);
        if (raw == null) {
            return null;
        }
        String withScheme = raw.contains("://") ? raw : "http://" + raw;
        try {
            URI uri = new URI(withScheme);
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            if (scheme.equals("https")) {
                problems.add(name + " uses https://, which this delegate cannot speak to a proxy: use the proxy's"
                        + " http:// address (calls to an https Manager stay encrypted end to end through the tunnel)");
                return null;
            }
            Proxy.Type type = scheme.startsWith("socks") ? Proxy.Type.SOCKS : Proxy.Type.HTTP;
            if ((!scheme.equals("http") && type != Proxy.Type.SOCKS) || uri.getHost() == null) {
                problems.add(
                        name + " '" + redact(raw) + "' is not a proxy URL: use http://host:port or socks5://host:port");
                return null;
            }
            int port = uri.getPort() > 0 ? uri.getPort() : type == Proxy.Type.SOCKS ? 1080 : 80;
            return new ProxyEndpoint(name, type, uri.getHost(), port, user(uri, 0), user(uri, 1));
        } catch (Exception e) {
            problems.add(name + " '" + redact(raw) + "' is not a proxy URL (" + e.getMessage()
                    + "): use http://host:port or socks5://host:port");
            return null;
        }
    }

    private static String user(URI uri, int part) {
        String info = uri.getRawUserInfo();
        if (info == null) {
            return null;
        }
        String[] parts = info.split(":", 2);
        return parts.length > part ? URLDecoder.decode(parts[part], StandardCharsets.UTF_8) : (part == 1 ? "" : null);
    }

    // Proxy URLs may carry a password; messages show the rest of the URL only.
    private static String redact(String raw) {
        return raw.replaceAll("//[^/@]*@", "//****@");
    }

    private static String either(Map<String, String> env, String upper) {
        String value = env.get(upper);
        if (value == null || value.isBlank()) {
            value = env.get(upper.toLowerCase(Locale.ROOT));
        }
        return value == null || value.isBlank() ? null : value.trim();
    }
}
