package org.opendelegate.delegate.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How the delegate trusts the Manager's HTTPS certificate, and whether it may talk plain HTTP to it.
 *
 * <ul>
 *   <li>{@code MANAGER_CA_CERT}: extra CA certificate(s), trusted next to the system trust store. The value is
 *       PEM text when it starts with {@code -----BEGIN} (an ECS task definition has no files), otherwise the path
 *       of a PEM file. Host names are checked as usual.
 *   <li>{@code MANAGER_CERT_SHA256}: the SHA-256 of the Manager's own (leaf) certificate, 64 hex digits (colons
 *       allowed, as {@code openssl x509 -fingerprint -sha256} prints them). The connection is trusted if and only
 *       if the Manager presents exactly that certificate; the pin names the certificate itself, so neither a CA
 *       nor the host name is checked (self-signed certificates rarely name the host delegates use).
 *   <li>{@code MANAGER_ALLOW_INSECURE=true}: allows an {@code http://} Manager that is not on this machine. Without
 *       it the delegate refuses to start, because its token and session credentials would cross the network in
 *       clear text. Loopback is decided from the URL alone ({@code localhost}, {@code 127.0.0.0/8}, {@code ::1}),
 *       never by a name lookup.
 * </ul>
 *
 * @param caCertificates the extra CA certificates; empty for the system trust store alone
 * @param pinnedSha256 the pin as 64 lower-case hex digits, or null
 * @param allowInsecure {@code MANAGER_ALLOW_INSECURE}
 * @param caSource where the CA certificates came from, for {@code --check-config}; null without them
 */
public record ManagerTls(
        List<X509Certificate> caCertificates, String pinnedSha256, boolean allowInsecure, String caSource) {
    private static final Pattern PIN = Pattern.compile("[0-9a-f]{64}");

    public ManagerTls {
        caCertificates = List.copyOf(caCertificates);
    }

    /** The system trust store alone, HTTPS required off loopback. */
    public static ManagerTls systemDefault() {
        return new ManagerTls(List.of(), null, false, null);
    }

    /** True when plain HTTP to this Manager would cross the network: an http URL whose host is not loopback. */
    public static boolean insecureRemote(URI managerUrl) {
        return "http".equalsIgnoreCase(managerUrl.getScheme()) && !isLoopback(managerUrl.getHost());
    }

    /** Loopback by the URL's host alone: {@code localhost}, an IPv4 address in 127.0.0.0/8, or {@code [::1]}. */
    static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost") || h.endsWith(".localhost")) {
            return true;
        }
        if (h.equals("[::1]") || h.equals("::1") || h.equals("[0:0:0:0:0:0:0:1]")) {
            return true;
        }
        return h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    /** Reads the settings for {@code managerUrl} (null when it was invalid), one line per problem. */
    static ManagerTls parse(Map<String, String> env, URI managerUrl, List<String> problems) {
        String ca = value(env, "MANAGER_CA_CERT");
        String pin = value(env, "MANAGER_CERT_SHA256");
        String insecure = value(env, "MANAGER_ALLOW_INSECURE");
        boolean allowInsecure = false;
        if (insecure != null) {
            if (!insecure.equalsIgnoreCase("true") && !insecure.equalsIgnoreCase("false")) {
                problems.add("MANAGER_ALLOW_INSECURE '" + insecure + "' is not true or false");
            }
            allowInsecure = insecure.equalsIgnoreCase("true");
        }
        if (managerUrl != null && insecureRemote(managerUrl) && !allowInsecure) {
            problems.add("MANAGER_URL " + managerUrl + " is plain HTTP to another machine: the delegate token would"
                    + " cross the network unencrypted. Use the Manager's https:// address, or set"
                    + " MANAGER_ALLOW_INSECURE=true to accept that risk (only on a network you trust)");
        }
        if (ca != null && pin != null) {
            problems.add("MANAGER_CA_CERT and MANAGER_CERT_SHA256 are both set: they are two ways to trust the"
                    + " Manager's certificate; set only one");
            return new ManagerTls(List.of(), null, allowInsecure, null);
        }
        if ((ca != null || pin != null) && managerUrl != null && !"https".equalsIgnoreCase(managerUrl.getScheme())) {
            problems.add((ca != null ? "MANAGER_CA_CERT" : "MANAGER_CERT_SHA256") + " is set, but MANAGER_URL "
                    + managerUrl + " is not https://; use the Manager's https:// address, or unset it");
        }
        List<X509Certificate> certificates = ca == null ? List.of() : caCertificates(ca, problems);
        String normalizedPin = pin == null ? null : pin(pin, problems);
        String source = ca == null ? null : ca.startsWith("-----BEGIN") ? "(PEM text)" : ca;
        return new ManagerTls(certificates, normalizedPin, allowInsecure, source);
    }

    List<String> describe() {
        List<String> lines = new ArrayList<>();
        lines.add("MANAGER_CA_CERT="
                + (caSource == null
                        ? "(not set: the system trust store alone)"
                        : caSource + " (" + caCertificates.size() + " certificate(s): "
                                + caCertificates
                                        .get(0)
                                        .getSubjectX500Principal()
                                        .getName() + ")"));
        lines.add("MANAGER_CERT_SHA256=" + (pinnedSha256 == null ? "(not set)" : pinnedSha256));
        lines.add("MANAGER_ALLOW_INSECURE=" + allowInsecure);
        return lines;
    }

    private static List<X509Certificate> caCertificates(String value, List<String> problems) {
        String pem = value;
        if (!value.startsWith("-----BEGIN")) {
            try {
                pem = Files.readString(Path.of(value), StandardCharsets.US_ASCII);
            } catch (IOException | InvalidPathException | java.io.UncheckedIOException e) {
                problems.add("MANAGER_CA_CERT '" + value + "' is neither PEM text (-----BEGIN CERTIFICATE-----) nor a"
                        + " readable file (" + e.getMessage()
                        + "); give the CA certificate as PEM text or a file path");
                return List.of();
            }
        }
        try {
            List<X509Certificate> out = new ArrayList<>();
            if (pem.contains("-----BEGIN CERTIFICATE-----")) {
                for (var cert : CertificateFactory.getInstance("X.509")
                        .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                    out.add((X509Certificate) cert);
                }
            }
            if (out.isEmpty()) {
                throw new CertificateException("no -----BEGIN CERTIFICATE----- block");
            }
            return out;
        } catch (CertificateException e) {
            problems.add("MANAGER_CA_CERT holds no valid PEM certificate (" + e.getMessage() + "); give the CA"
                    + " certificate as PEM text or the path of a PEM file");
            return List.of();
        }
    }

    private static String pin(String value, List<String> problems) {
        String hex = value.replace(":", "").toLowerCase(Locale.ROOT);
        if (!PIN.matcher(hex).matches()) {
            problems.add("MANAGER_CERT_SHA256 '" + value + "' is not a SHA-256 of a certificate: give 64 hex digits,"
                    + " e.g. from `openssl x509 -in cert.pem -outform der | sha256sum`");
            return null;
        }
        return HexFormat.of().formatHex(HexFormat.of().parseHex(hex));
    }

    private static String value(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }
}
