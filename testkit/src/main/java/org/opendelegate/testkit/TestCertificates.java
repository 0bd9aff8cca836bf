package org.opendelegate.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Test certificates made by the real {@code openssl} command in a directory of the test's own: self-signed
 * pairs and a small CA with leaves it signed. Keys are EC P-256 (fast to make) in PKCS#8 unless converted.
 */
public final class TestCertificates {
    /** The password of the PKCS#12 files this class writes. */
    public static final String P12_PASSWORD = "test";

    private final Path dir;

    public TestCertificates(Path dir) {
        this.dir = dir;
    }

    /**
     * A certificate and key in PEM files, and both in a PKCS#12 file.
     *
     * @param certificate PEM certificate
     * @param key PEM private key (PKCS#8)
     * @param p12 PKCS#12 with both, password {@link #P12_PASSWORD}
     */
    public record Pair(Path certificate, Path key, Path p12) {
        public String certificatePem() {
            return read(certificate);
        }

        public String keyPem() {
            return read(key);
        }

        public X509Certificate x509() {
            try (InputStream in = Files.newInputStream(certificate)) {
                return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** SHA-256 of the certificate's DER, 64 lower-case hex digits. */
        public String sha256() {
            try {
                return HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(x509().getEncoded()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** A client TLS context that trusts this certificate (as its own CA) and nothing else. */
        public SSLContext trustingClient() {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setCertificateEntry("trusted", x509());
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(store);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, tmf.getTrustManagers(), null);
                return context;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** A server TLS context presenting this pair. */
        public SSLContext server() {
            try (InputStream in = Files.newInputStream(p12)) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(in, P12_PASSWORD.toCharArray());
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(store, P12_PASSWORD.toCharArray());
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(kmf.getKeyManagers(), null, null);
                return context;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * A self-signed certificate whose subject alternative names are {@code names} ({@code DNS:localhost},
     * {@code IP:127.0.0.1}, ...); without names, localhost and 127.0.0.1.
     */
    public Pair selfSigned(String name, String... names) {
        Path cert = dir.resolve(name + "-cert.pem");
        Path key = dir.resolve(name + "-key.pem");
        List<String> command = new ArrayList<>(List.of(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-keyout",
                key.toString(),
                "-out",
                cert.toString(),
                "-days",
                "2",
                "-subj",
                "/CN=" + name,
                "-addext",
                "subjectAltName=" + altNames(names)));
        run(command);
        return withP12(name, cert, key);
    }

    /** A CA: a self-signed certificate that may sign others. */
    public Pair authority(String name) {
        Path cert = dir.resolve(name + "-cert.pem");
        Path key = dir.resolve(name + "-key.pem");
        run(List.of(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-keyout",
                key.toString(),
                "-out",
                cert.toString(),
                "-days",
                "2",
                "-subj",
                "/CN=" + name,
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign"));
        return new Pair(cert, key, null);
    }

    /** A leaf certificate for {@code names} (as for {@link #selfSigned}) signed by {@code ca}. */
    public Pair signedBy(Pair ca, String name, String... names) {
        Path cert = dir.resolve(name + "-cert.pem");
        Path key = dir.resolve(name + "-key.pem");
        Path csr = dir.resolve(name + ".csr");
        Path ext = dir.resolve(name + ".ext");
        write(ext, "subjectAltName=" + altNames(names) + "\n");
        run(List.of(
                "openssl",
                "req",
                "-new",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-keyout",
                key.toString(),
                "-out",
                csr.toString(),
                "-subj",
                "/CN=" + name));
        run(List.of(
                "openssl",
                "x509",
                "-req",
                "-in",
                csr.toString(),
                "-CA",
                ca.certificate().toString(),
                "-CAkey",
                ca.key().toString(),
                "-CAcreateserial",
                "-out",
                cert.toString(),
                "-days",
                "2",
                "-extfile",
                ext.toString()));
        return withP12(name, cert, key);
    }

    /** Converts a PKCS#8 key file to another form with {@code openssl}: "rsa -traditional", "ec", ... */
    public Path convertKey(Path key, String target, List<String> command) {
        List<String> all = new ArrayList<>(List.of("openssl"));
        all.addAll(command);
        all.addAll(List.of("-in", key.toString(), "-out", dir.resolve(target).toString()));
        run(all);
        return dir.resolve(target);
    }

    /** An RSA self-signed pair (slower to make than EC; for the RSA key forms). */
    public Pair selfSignedRsa(String name) {
        Path cert = dir.resolve(name + "-cert.pem");
        Path key = dir.resolve(name + "-key.pem");
        run(List.of(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                key.toString(),
                "-out",
                cert.toString(),
                "-days",
                "2",
                "-subj",
                "/CN=" + name,
                "-addext",
                "subjectAltName=DNS:localhost,IP:127.0.0.1"));
        return new Pair(cert, key, null);
    }

    private Pair withP12(String name, Path cert, Path key) {
        Path p12 = dir.resolve(name + ".p12");
        run(List.of(
                "openssl",
                "pkcs12",
                "-export",
                "-in",
                cert.toString(),
                "-inkey",
                key.toString(),
                "-out",
                p12.toString(),
                "-passout",
                "pass:" + P12_PASSWORD));
        return new Pair(cert, key, p12);
    }

    private static String altNames(String... names) {
        return names.length == 0 ? "DNS:localhost,IP:127.0.0.1" : String.join(",", names);
    }

    private static void run(List<String> command) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
