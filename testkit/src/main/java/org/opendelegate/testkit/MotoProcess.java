package org.opendelegate.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code moto_server}, the AWS emulator in the machine's Python, as a subprocess on a free loopback port.
 * The one way tests start it: the manager's IAM registration tests and the end-to-end tests wrap it with what
 * they need (STS calls, the AWS CLI). Only 127.0.0.1 is ever used.
 */
public final class MotoProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final int port;
    private final Path log;

    private MotoProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts {@code moto_server} writing to a log in {@code logDir} and waits until it accepts connections. */
    public static MotoProcess start(Path logDir) {
        try {
            int port = FreePorts.next();
            Files.createDirectories(logDir);
            Path log = logDir.resolve("moto-" + port + ".log");
            Process p = new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", String.valueOf(port))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            MotoProcess moto = new MotoProcess(p, port, log);
            Instant deadline = Instant.now().plus(START_TIMEOUT);
            while (!moto.accepts()) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("moto_server exited: " + moto.log());
                }
                if (Instant.now().isAfter(deadline)) {
                    moto.close();
                    throw new IllegalStateException("moto_server did not listen on 127.0.0.1:" + port + " within "
                            + START_TIMEOUT.toSeconds() + " s: " + moto.log());
                }
                Thread.sleep(100);
            }
            return moto;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start moto_server (is it on PATH?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while moto_server started", e);
        }
    }

    /** {@code 127.0.0.1:<port>}, the Host a request signed for this emulator names. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    /** {@code http://127.0.0.1:<port>}, for {@code --endpoint-url} and {@code AWS_ENDPOINT_URL}. */
    public String endpoint() {
        return "http://" + host();
    }

    /** What moto printed, for failure messages. */
    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
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
