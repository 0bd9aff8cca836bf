package org.opendelegate.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.opendelegate.protocol.ProtocolJson;

/** Downloads an installer from a Manager process and unpacks it with the system's {@code tar}, as a user would. */
public final class Downloads {
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3))
            .build();

    private Downloads() {}

    /**
     * Posts {@code body} to {@code path}, saves the archive in {@code dir} and unpacks it there.
     *
     * @return the unpacked top-level folder
     */
    public static Path downloadAndUnpack(ManagerProcess manager, String path, Object body, Path dir) {
        try {
            Files.createDirectories(dir);
            HttpRequest request = HttpRequest.newBuilder(URI.create(manager.url() + path))
                    .timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + ManagerProcess.API_KEY)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            ProtocolJson.mapper().writeValueAsString(body)))
                    .build();
            HttpResponse<byte[]> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new AssertionError(
                        "download failed: " + r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8));
            }
            String fileName = r.headers()
                    .firstValue("Content-Disposition")
                    .orElseThrow()
                    .replaceAll(".*filename=\"([^\"]+)\".*", "$1");
            Path archive = dir.resolve(fileName);
            Files.write(archive, r.body());
            Process tar = new ProcessBuilder(
                            "tar", "-xzf", archive.getFileName().toString())
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
            if (!tar.waitFor(30, TimeUnit.SECONDS) || tar.exitValue() != 0) {
                throw new AssertionError("tar refused " + archive + ": "
                        + new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
            return dir.resolve(fileName.replace(".tar.gz", ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
