package org.opendelegate.manager.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.opendelegate.manager.config.TlsConfig;
import org.opendelegate.manager.security.Pem;
import org.opendelegate.manager.security.StartupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTPS on the Manager's one port: a Jetty connector whose certificate and key come from PEM files, read
 * again by {@link #reloadIfChanged} when either file's modification time changes. A new pair that cannot be
 * used (unreadable, not PEM, a key of another certificate) is refused with one log line and the connector
 * keeps serving the pair it has, so a half-finished renewal never takes HTTPS down.
 */
public final class TlsConnector {
    private static final Logger LOG = LoggerFactory.getLogger(TlsConnector.class);
    /** The in-memory key store's password: it never leaves this process, and protects nothing on disk. */
    private static final String STORE_PASSWORD = "opendelegate";

    private final TlsConfig files;
    private final SslContextFactory.Server factory = new SslContextFactory.Server();
    private volatile List<X509Certificate> chain;
    private FileTime certificateSeen;
    private FileTime keySeen;

    /**
     * Reads the pair.
     *
     * @throws StartupException when the pair cannot be used; the message says why and what to do
     */
    public TlsConnector(TlsConfig files) {
        this.files = files;
        this.certificateSeen = modified(files.certificateFile());
        this.keySeen = modified(files.keyFile());
        try {
            Loaded pair = load();
            this.chain = pair.chain();
            factory.setKeyStore(pair.store());
        } catch (IllegalArgumentException e) {
            throw new StartupException("the HTTPS certificate and key cannot be used: " + e.getMessage() + ".");
        }
        factory.setKeyStorePassword(STORE_PASSWORD);
        factory.setKeyManagerPassword(STORE_PASSWORD);
    }

    /** The connection factories of an HTTPS connector: TLS, then HTTP/1.1 with the shared settings. */
    ConnectionFactory[] factories(HttpConfiguration http) {
        HttpConfiguration https = new HttpConfiguration(http);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        // Delegates check the certificate themselves (by CA or pin); a certificate that does not name the host
        // a client used is for the client to refuse, not a reason for the Manager to answer 400.
        secure.setSniHostCheck(false);
        https.addCustomizer(secure);
        return new ConnectionFactory[] {
            new SslConnectionFactory(factory, HttpVersion.HTTP_1_1.asString()), new HttpConnectionFactory(https)
        };
    }

    /** The certificate served now: the first of the chain. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /**
     * Reads the files again when either changed since the last look, and serves the new pair if it is
     * usable; otherwise logs why and keeps the old one. Returns true when a new pair is served.
     */
    public synchronized boolean reloadIfChanged() {
        FileTime certificateNow = modified(files.certificateFile());
        FileTime keyNow = modified(files.keyFile());
        if (certificateNow.equals(certificateSeen) && keyNow.equals(keySeen)) {
            return false;
        }
        certificateSeen = certificateNow;
        keySeen = keyNow;
        Loaded pair;
        try {
            pair = load();
        } catch (IllegalArgumentException e) {
            LOG.warn(
                    "The changed HTTPS certificate or key ({}, {}) cannot be used: {}. Still serving the previous "
                            + "certificate ({}); fix the files and the Manager reads them again.",
                    files.certificateFile(),
                    files.keyFile(),
                    e.getMessage(),
                    certificate().getSubjectX500Principal().getName());
            return false;
        }
        try {
            factory.reload(f -> f.setKeyStore(pair.store()));
        } catch (Exception e) {
            LOG.warn("Jetty refused the new HTTPS certificate ({}); still serving the previous one", e.toString());
            return false;
        }
        chain = pair.chain();
        LOG.info(
                "HTTPS certificate reloaded: {} (SHA-256 {}), valid until {}",
                certificate().getSubjectX500Principal().getName(),
                Pem.sha256(certificate()),
                certificate().getNotAfter().toInstant());
        return true;
    }

    private record Loaded(List<X509Certificate> chain, KeyStore store) {}

    private Loaded load() {
        List<X509Certificate> certificates;
        try {
            certificates = Pem.certificates(read(files.certificateFile()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "the certificate file " + files.certificateFile() + " " + e.getMessage());
        }
        PrivateKey key;
        try {
            key = Pem.privateKey(read(files.keyFile()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the key file " + files.keyFile() + " " + e.getMessage());
        }
        Pem.checkPair(certificates.get(0), key);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(
                    "manager", key, STORE_PASSWORD.toCharArray(), certificates.toArray(new X509Certificate[0]));
            return new Loaded(List.copyOf(certificates), store);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("the key and certificate cannot be put together: " + e.getMessage());
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot be read (" + e + ")");
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
