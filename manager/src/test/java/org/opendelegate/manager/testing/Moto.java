package org.opendelegate.manager.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opendelegate.testkit.MotoProcess;

/**
 * {@code moto_server} (the AWS emulator on the machine's Python) on a free loopback port, for the STS calls
 * IAM registration makes. Only 127.0.0.1 is ever called.
 */
public final class Moto implements AutoCloseable {
    private final MotoProcess process;

    private Moto(MotoProcess process) {
        this.process = process;
    }

    public static Moto start() {
        return new Moto(MotoProcess.start(Path.of("target", "moto")));
    }

    /** {@code 127.0.0.1:<port>}, the Host a proof for this emulator is signed for. */
    public String host() {
        return process.host();
    }

    public String endpoint() {
        return process.endpoint();
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

    @Override
    public void close() {
        process.close();
    }
}
