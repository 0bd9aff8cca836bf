package org.opendelegate.delegate.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.time.Duration;
import javax.net.ssl.HttpsURLConnection;
import org.opendelegate.delegate.config.ManagerTls;
import org.opendelegate.protocol.DelegateApiPaths;
import org.opendelegate.protocol.ProtocolVersion;

/**
 * POSTs JSON to the Manager over HTTP/1.1 with {@link HttpURLConnection}. Chosen over
 * {@code java.net.http.HttpClient} because it needs no selector thread and loads far fewer classes,
 * which keeps the idle delegate small; the JDK keeps connections alive and reuses them across calls as
 * long as each answer is read to the end, which {@link #post} does.
 *
 * <p>Hand-written on purpose, where elsewhere we take a library: the delegate must idle under 96 MiB
 * resident memory (it measures about 66 MiB, see docs/benchmarks.md), and both the JDK's
 * {@code HttpClient} (a selector thread, its executor and several hundred more classes) and an HTTP
 * client library such as Jetty's (its own thread pool and buffers, and a dependency in every delegate)
 * cost more memory and start-up time than this one class, which only ever sends one small POST at a time.
 */
public final class HttpTransport {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** How long an idle connection to the Manager is kept for reuse; below common proxy idle timeouts. */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(25);

    private static final int MAX_BODY = 16 * 1024 * 1024;
    private static final byte[] EMPTY = new byte[0];

    private final String base;
    private final Proxy proxy;
    private final String token;
    private final String accountId;
    private final String userAgent;
    private final ManagerTrustManager trust;

    /**
     * Keeps idle connections to the Manager for {@link #KEEP_ALIVE} instead of the JDK's 5 s, so that
     * heartbeats 10 s apart reuse one connection instead of paying a TLS handshake each time (on the
     * delegate and on the Manager). A Manager or proxy that closes sooner is fine: the JDK notices the
     * closed connection and opens a new one. The JDK reads these properties once, so this must run
     * before the first HTTP connection of the process; unset properties only, so an operator's own
     * {@code -D} settings win.
     */
    public static void keepConnectionsAlive() {
        String seconds = Long.toString(KEEP_ALIVE.toSeconds());
        if (System.getProperty("http.keepAlive.time.server") == null) {
            System.setProperty("http.keepAlive.time.server", seconds);
        }
        if (System.getProperty("http.keepAlive.time.proxy") == null) {
            System.setProperty("http.keepAlive.time.proxy", seconds);
        }
    }

    /**
     * @param managerUrl the Manager's base URL, without a trailing slash
     * @param proxy the proxy for calls to it, or {@link Proxy#NO_PROXY}
     * @param token the delegate token, or null for IAM registration; registrations present it, later calls
     *     their session credential
     * @param accountId the account id
     * @param version the delegate version, for the User-Agent
     */
    public HttpTransport(URI managerUrl, Proxy proxy, String token, String accountId, String version) {
        this(managerUrl, proxy, token, accountId, version, ManagerTls.systemDefault());
    }

    /**
     * Like the other constructor, with {@code tls} deciding which certificates the Manager may present
     * (the system trust store, plus a CA, or exactly one pinned certificate).
     */
    public HttpTransport(URI managerUrl, Proxy proxy, String token, String accountId, String version, ManagerTls tls) {
        this.trust = ManagerTrustManager.of(tls);
        this.base = managerUrl.toString();
        this.proxy = proxy;
        this.token = token;
        this.accountId = accountId;
        this.userAgent = "opendelegate-delegate/" + version;
    }

    /** The account every call is made for. */
    String accountId() {
        return accountId;
    }

    /** The delegate token, which registrations present. */
    String token() {
        return token;
    }

    /** POSTs {@code json} with {@code bearer} as the credential (the delegate token or a session credential). */
    HttpReply post(String path, byte[] json, Duration readTimeout, AbortHandle abort, String bearer)
            throws IOException {
        HttpURLConnection connection =
                (HttpURLConnection) URI.create(base + path).toURL().openConnection(proxy);
        if (trust != null && connection instanceof HttpsURLConnection https) {
            trust.apply(https);
        }
        if (abort != null) {
            abort.attach(connection);
        }
        try {
            prepare(connection, readTimeout, bearer);
            try (OutputStream out = connection.getOutputStream()) {
                out.write(json);
            }
            int status = connection.getResponseCode();
            InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            byte[] body = in == null ? EMPTY : readFully(in);
            return new HttpReply(
                    status,
                    connection.getContentType(),
                    connection.getHeaderField("Retry-After"),
                    connection.getHeaderField("Location"),
                    body);
        } catch (RuntimeException e) {
            // HttpURLConnection answers a disconnect() from another thread (a cut or an abort) that races
            // with its reading with unchecked exceptions from its insides (a NullPointerException on its
            // socket). For the caller that is a call that failed on the way, like any I/O error.
            throw new IOException("the call to the Manager broke off: " + e.getMessage(), e);
        } finally {
            if (abort != null) {
                abort.detach();
            }
        }
    }

    private void prepare(HttpURLConnection connection, Duration readTimeout, String bearer) throws IOException {
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setUseCaches(false);
        connection.setInstanceFollowRedirects(false);
        connection.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
        connection.setReadTimeout((int) Math.min(Integer.MAX_VALUE, readTimeout.toMillis()));
        // No fixed-length streaming: in that mode the JDK throws away the body of a 401, and the Manager's
        // explanation of a refused token is exactly what the log must show. Bodies are small; the JDK
        // buffers them and sends a Content-Length.
        if (bearer != null) {
            connection.setRequestProperty("Authorization", "Bearer " + bearer);
        }
        connection.setRequestProperty(DelegateApiPaths.ACCOUNT_HEADER, accountId);
        connection.setRequestProperty(ProtocolVersion.HEADER, Integer.toString(ProtocolVersion.CURRENT));
        connection.setRequestProperty("Content-Type", "application/json");
        connection.setRequestProperty("Accept", "application/json, application/problem+json");
        connection.setRequestProperty("User-Agent", userAgent);
    }

    // Reading to the end (and closing) hands the connection back to the JDK's keep-alive cache.
    private static byte[] readFully(InputStream in) throws IOException {
        try (in) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                throw new IOException("the Manager's answer is larger than " + MAX_BODY / (1024 * 1024) + " MiB");
            }
            return body;
        }
    }
}
