package org.opendelegate.manager.installers;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.opendelegate.manager.security.Pem;

/**
 * How the delegates of a download check the Manager's HTTPS certificate beyond the system trust store:
 * a CA certificate ({@code MANAGER_CA_CERT}, PEM) or the SHA-256 pin of the Manager's own certificate
 * ({@code MANAGER_CERT_SHA256}), or neither. At most one is set.
 *
 * <p>The default, when the request names neither: if the Manager serves HTTPS itself with a self-signed
 * certificate, the download pins that certificate, because no trust store knows it and a delegate could not
 * connect otherwise. A pin rather than the certificate as a CA: the two trust exactly the same key, but a
 * pin does not also need the certificate to name the host the delegates use (self-signed certificates are
 * often made for {@code localhost}). A certificate from a CA gets no default: the system trust store or an
 * explicit CA is the durable choice, and a pin would break at the next renewal.
 *
 * @param caCertificate PEM text of the CA certificate(s), or null
 * @param certificateSha256 the pin, 64 lower-case hex digits, or null
 */
public record ManagerTrust(String caCertificate, String certificateSha256) {
    static final ManagerTrust NONE = new ManagerTrust(null, null);
    /** The file a shell download keeps the CA certificate in, next to {@code start.sh}. */
    static final String CA_FILE = "manager-ca.pem";

    /** The default for a Manager serving {@code served}: its pin when self-signed, else nothing. */
    static ManagerTrust defaultFor(Optional<X509Certificate> served) {
        return served.filter(Pem::selfSigned)
                .map(cert -> new ManagerTrust(null, Pem.sha256(cert)))
                .orElse(NONE);
    }

    /**
     * Checks the request's {@code managerCaCert} and {@code managerCertSha256}; with neither, the default.
     * Field errors go to {@code c}.
     */
    static ManagerTrust check(
            FieldChecks c, String caPem, String pin, String managerUrl, Optional<X509Certificate> served) {
        String ca = FieldChecks.blankToNull(caPem);
        String sha = FieldChecks.blankToNull(pin);
        if (ca == null && sha == null) {
            return defaultFor(served);
        }
        if (ca != null && sha != null) {
            c.error("managerCertSha256", "and managerCaCert are two ways to trust the Manager; give only one.");
            return NONE;
        }
        if (!managerUrl.startsWith("https://")) {
            c.error(
                    ca != null ? "managerCaCert" : "managerCertSha256",
                    "only applies to an https:// Manager, but the Manager's external URL is " + managerUrl
                            + "; leave it out, or serve the Manager over HTTPS.");
            return NONE;
        }
        if (ca != null) {
            try {
                List<X509Certificate> certs = Pem.certificates(ca);
                StringBuilder pem = new StringBuilder();
                certs.forEach(cert -> pem.append(Pem.encode(cert)));
                return new ManagerTrust(pem.toString(), null);
            } catch (IllegalArgumentException e) {
                c.error(
                        "managerCaCert",
                        e.getMessage() + "; paste the CA certificate in PEM form "
                                + "(-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----).");
                return NONE;
            }
        }
        String normalized = Pem.normalizePin(sha);
        if (normalized == null) {
            c.error(
                    "managerCertSha256",
                    "must be the SHA-256 of the Manager's certificate as 64 hex digits, e.g. from"
                            + " `openssl x509 -in cert.pem -outform der | sha256sum`.");
            return NONE;
        }
        return new ManagerTrust(null, normalized);
    }

    /** Adds the settings to a delegate's environment; the CA as PEM text, or as {@code caFile} when given. */
    void addTo(Map<String, String> env, String caFile) {
        if (caCertificate != null) {
            env.put("MANAGER_CA_CERT", caFile != null ? caFile : caCertificate);
        }
        if (certificateSha256 != null) {
            env.put("MANAGER_CERT_SHA256", certificateSha256);
        }
    }
}
