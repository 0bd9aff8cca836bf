package org.opendelegate.delegate.config;

import java.net.InetSocketAddress;
import java.net.Proxy;

/**
 * One outbound proxy from {@code HTTPS_PROXY} or {@code HTTP_PROXY}.
 *
 * @param variable the environment variable it came from, for messages
 * @param type {@link Proxy.Type#HTTP} or {@link Proxy.Type#SOCKS}
 * @param host the proxy host
 * @param port the proxy port
 * @param user the proxy user, or null
 * @param password the proxy password, or null; masked in {@link #toString()}
 */
public record ProxyEndpoint(String variable, Proxy.Type type, String host, int port, String user, String password) {

    /** The proxy for {@code URL.openConnection(Proxy)}; the host is resolved when connecting, not now. */
    public Proxy toProxy() {
        return new Proxy(type, InetSocketAddress.createUnresolved(host, port));
    }

    /** True when the proxy asks for a user and password. */
    public boolean hasCredentials() {
        return user != null;
    }

    @Override
    public String toString() {
        String scheme = type == Proxy.Type.SOCKS ? "socks5" : "http";
        String credentials = user == null ? "" : user + ":****@";
        return scheme + "://" + credentials + host + ":" + port;
    }
}
