package org.opendelegate.delegate.client;

import java.net.Authenticator;
import java.net.PasswordAuthentication;
import org.opendelegate.delegate.config.ProxyEndpoint;

/**
 * Answers the proxy's credential challenge with the user and password from the proxy URL. The JDK
 * refuses Basic authentication for HTTPS tunnels unless told otherwise, and reads that setting once,
 * so {@link #install} must run before the first HTTP connection of the process.
 */
public final class ProxyAuthentication {
    private ProxyAuthentication() {}

    /** Installs the credentials of {@code proxy}, offered only to that proxy's host and port. */
    public static void install(ProxyEndpoint proxy) {
        System.setProperty("jdk.http.auth.tunneling.disabledSchemes", "");
        System.setProperty("jdk.http.auth.proxying.disabledSchemes", "");
        char[] password =
                proxy.password() == null ? new char[0] : proxy.password().toCharArray();
        Authenticator.setDefault(new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                boolean ours =
                        proxy.host().equalsIgnoreCase(getRequestingHost()) && proxy.port() == getRequestingPort();
                return ours ? new PasswordAuthentication(proxy.user(), password) : null;
            }
        });
    }
}
