package org.opendelegate.delegate.client;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.opendelegate.delegate.config.ManagerTls;

/**
 * The TLS settings of Manager calls when {@link ManagerTls} asks for more than the JDK's defaults: a socket
 * factory that trusts the system trust store plus the extra CA certificates (host names checked by the JDK as
 * usual), or one that trusts exactly the pinned certificate (and then no host name check, see
 * {@link ManagerTls}). Built once; every connection of the transport shares it, so kept-alive connections are
 * reused.
 */
final class ManagerTrustManager {
    private final SSLSocketFactory socketFactory;
    private final HostnameVerifier hostnameVerifier;

    private ManagerTrustManager(SSLSocketFactory socketFactory, HostnameVerifier hostnameVerifier) {
        this.socketFactory = socketFactory;
        this.hostnameVerifier = hostnameVerifier;
    }

    /** The settings for {@code tls}, or null when the JDK's defaults already are what it asks for. */
    static ManagerTrustManager of(ManagerTls tls) {
        try {
            if (tls.pinnedSha256() != null) {
                // The pin identifies the certificate itself: the name in it does not matter.
                return new ManagerTrustManager(factory(new Pinned(tls.pinnedSha256())), (host, session) -> true);
            }
            if (!tls.caCertificates().isEmpty()) {
                return new ManagerTrustManager(
                        factory(new SystemOrCa(trustManager(null), trustManager(tls.caCertificates()))), null);
            }
            return null;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("every JDK can make a TLS context with its own trust managers", e);
        }
    }

    void apply(HttpsURLConnection connection) {
        connection.setSSLSocketFactory(socketFactory);
        if (hostnameVerifier != null) {
            connection.setHostnameVerifier(hostnameVerifier);
        }
    }

    private static SSLSocketFactory factory(TrustManager trust) throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trust}, null);
        return context.getSocketFactory();
    }

    /** The JDK's trust manager for the system store ({@code certificates} null) or for the given CAs. */
    private static X509ExtendedTrustManager trustManager(List<X509Certificate> certificates)
            throws GeneralSecurityException, java.io.IOException {
        KeyStore store = null;
        if (certificates != null) {
            store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < certificates.size(); i++) {
                store.setCertificateEntry("manager-ca-" + i, certificates.get(i));
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager extended) {
                return extended;
            }
        }
        throw new GeneralSecurityException("the JDK offers no X509ExtendedTrustManager");
    }

    /** Trusts what the system trust store trusts, else what the extra CAs trust; both check the host name. */
    private static final class SystemOrCa extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager system;
        private final X509ExtendedTrustManager ca;

        SystemOrCa(X509ExtendedTrustManager system, X509ExtendedTrustManager ca) {
            this.system = system;
            this.ca = ca;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            try {
                system.checkServerTrusted(chain, authType, socket);
            } catch (CertificateException e) {
                ca.checkServerTrusted(chain, authType, socket);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            try {
                system.checkServerTrusted(chain, authType, engine);
            } catch (CertificateException e) {
                ca.checkServerTrusted(chain, authType, engine);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                system.checkServerTrusted(chain, authType);
            } catch (CertificateException e) {
                ca.checkServerTrusted(chain, authType);
            }
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            X509Certificate[] a = system.getAcceptedIssuers();
            X509Certificate[] b = ca.getAcceptedIssuers();
            X509Certificate[] all = java.util.Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, all, a.length, b.length);
            return all;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("the delegate never accepts client connections");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("the delegate never accepts client connections");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("the delegate never accepts client connections");
        }
    }

    /** Trusts exactly one certificate: the leaf whose SHA-256 is the pin. */
    private static final class Pinned extends X509ExtendedTrustManager {
        private final String pin;

        Pinned(String pin) {
            this.pin = pin;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("the Manager presented no certificate");
            }
            String presented;
            try {
                presented = HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded()));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new CertificateException(e);
            }
            if (!presented.equals(pin)) {
                throw new CertificateException("the Manager's certificate ("
                        + chain[0].getSubjectX500Principal().getName()
                        + ", SHA-256 " + presented + ") is not the one MANAGER_CERT_SHA256 pins (" + pin
                        + "); if the Manager's certificate was renewed, set the new pin");
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("the delegate never accepts client connections");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("the delegate never accepts client connections");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("the delegate never accepts client connections");
        }
    }
}
