package org.opendelegate.delegate.client;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import javax.net.ssl.HttpsURLConnection;
import org.opendelegate.protocol.DelegateType;
import org.opendelegate.protocol.IdentityKind;
import org.opendelegate.protocol.ProtocolJson;
import org.opendelegate.protocol.RegisterRequest;
import org.opendelegate.protocol.RegisterResponse;

/**
 * Gets the slow first-time work of the first Manager call out of its way: the default TLS context
 * (providers and the trust store with its ~140 CAs) and the JSON binding of the registration. Each runs
 * on a short-lived thread of its own while the main thread sets up logging and works out the delegate's
 * identity; on two cores this roughly halved the time to "Connected" over https (docs/benchmarks.md).
 * A pre-handshake with the Manager was tried too and gained nothing measurable, so the delegate does not
 * open a connection it does not need. Failures are ignored on purpose: the real call reports them.
 */
public final class StartupWarmup {
    private StartupWarmup() {}

    /** Starts warming up for calls to {@code managerUrl}. */
    public static void start(URI managerUrl) {
        if ("https".equalsIgnoreCase(managerUrl.getScheme())) {
            daemon("warmup-tls", HttpsURLConnection::getDefaultSSLSocketFactory);
        }
        daemon("warmup-json", StartupWarmup::json);
    }

    private static void daemon(String name, Runnable work) {
        Thread thread = new Thread(
                () -> {
                    try {
                        work.run();
                    } catch (RuntimeException | LinkageError e) {
                        // Only a warm-up.
                    }
                },
                name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void json() {
        try {
            byte[] json = ProtocolJson.mapper()
                    .writeValueAsBytes(new RegisterRequest(
                            "i",
                            "n",
                            "g",
                            "p",
                            List.of("s"),
                            DelegateType.SHELL,
                            null,
                            IdentityKind.STABLE,
                            "h",
                            null,
                            "v",
                            1,
                            List.of("t"),
                            null,
                            List.of()));
            ProtocolJson.tolerantReader()
                    .forType(RegisterResponse.class)
                    .readValue(
                            "{\"delegateId\":\"d\",\"sessionId\":\"s\",\"heartbeatIntervalMillis\":1,\"effectiveSelectors\":[]}");
            ProtocolJson.tolerantReader().readTree(json);
        } catch (IOException e) {
            // Only a warm-up.
        }
    }
}
