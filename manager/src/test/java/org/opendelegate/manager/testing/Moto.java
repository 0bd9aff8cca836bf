package org.opendelegate.manager.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * {@code moto_server} (the AWS emulator on the machine's Python) on a free loopback port, for the STS calls
 * IAM registration makes. Only 127.0.0.1 is ever called.
 */
public final class Moto implements AutoCloseable {
    private final Process process;
    private final int port;

    private Moto(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static Moto start() {
        try {
            int port;
            try (ServerSocket probe = new ServerSocket(0)) {
                port = probe.getLocalPort();
            }
            Path log = Files.createTempFile("moto", ".log");
            Process p = new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", String.valueOf(port))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            Moto moto = new Moto(p, port);
            Awaitility.await("moto_server on 127.0.0.1:" + port)
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> moto.accepts() || !p.isAlive());
            if (!p.isAlive()) {
                throw new IllegalStateException("moto_server exited: " + Files.readString(log));
            }
            return moto;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start moto_server (is it on PATH?)", e);
        }
    }

    /** {@code 127.0.0.1:<port>}, the Host a proof for this emulator is signed for. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    public String endpoint() {
        return "http://" + host();
    }

    /** Temporary credentials of {@code roleArn} from moto's AssumeRole (moto needs no role to exist). */
    public StsProofs.Credentials assumeRole(String roleArn, String sessionName) {
        StsProofs.Credentials caller = new StsProofs.Credentials("AKIAIOSFODNN7EXAMPLE", "testing", null);
        var signed = StsProofs.sign(caller, host(), "us-east-1", "unused", Instant.now());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint() + "/"))
                .POST(HttpRequest.BodyPublishers.ofString(
                        "Action=AssumeRole&Version=2011-06-15&RoleArn=" + roleArn + "&RoleSessionName=" + sessionName));
        signed.headers().forEach((k, v) -> {
            if (!k.equals("host")) {
                request.header(k, v);
            }
        });
        try {
            String xml = HttpClient.newHttpClient()
                    .send(request.build(), HttpResponse.BodyHandlers.ofString())
                    .body();
            return new StsProofs.Credentials(
                    element(xml, "AccessKeyId"), element(xml, "SecretAccessKey"), element(xml, "SessionToken"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String element(String xml, String name) {
        Matcher m = Pattern.compile("<" + name + ">([^<]+)</" + name + ">").matcher(xml);
        if (!m.find()) {
            throw new AssertionError("no " + name + " in " + xml);
        }
        return m.group(1);
    }

    private boolean accepts() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
