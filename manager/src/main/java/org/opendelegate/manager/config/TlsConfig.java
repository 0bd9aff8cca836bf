package org.opendelegate.manager.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The certificate and key the Manager serves HTTPS with, on its one port ({@code OPENDELEGATE_TLS_CERT},
 * {@code OPENDELEGATE_TLS_KEY}). The files are read at start and read again whenever they change.
 *
 * @param certificateFile PEM: the server certificate first, then any intermediate certificates
 * @param keyFile PEM: the private key, PKCS#8 ({@code BEGIN PRIVATE KEY}), RSA PKCS#1 or EC SEC1
 */
public record TlsConfig(Path certificateFile, Path keyFile) {

    /** Both settings or neither: HTTPS with half a pair cannot start. Reports problems to {@code s}. */
    static Optional<TlsConfig> read(Settings s) {
        Optional<String> cert = s.optional("OPENDELEGATE_TLS_CERT");
        Optional<String> key = s.optional("OPENDELEGATE_TLS_KEY");
        if (cert.isEmpty() && key.isEmpty()) {
            return Optional.empty();
        }
        if (cert.isEmpty() || key.isEmpty()) {
            String given = cert.isPresent() ? "OPENDELEGATE_TLS_CERT" : "OPENDELEGATE_TLS_KEY";
            String missing = cert.isPresent() ? "OPENDELEGATE_TLS_KEY" : "OPENDELEGATE_TLS_CERT";
            s.problem(given + " is set but " + missing + " is not: HTTPS needs both the certificate (PEM) and its"
                    + " private key (PEM); set both, or neither to serve plain HTTP.");
            return Optional.empty();
        }
        Path certFile = s.path("OPENDELEGATE_TLS_CERT", cert.get());
        Path keyFile = s.path("OPENDELEGATE_TLS_KEY", key.get());
        readable(s, "OPENDELEGATE_TLS_CERT", certFile);
        readable(s, "OPENDELEGATE_TLS_KEY", keyFile);
        return Optional.of(new TlsConfig(certFile, keyFile));
    }

    private static void readable(Settings s, String name, Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            s.problem(name, file.toString(), "is not a readable file; give the path of a PEM file");
        }
    }
}
