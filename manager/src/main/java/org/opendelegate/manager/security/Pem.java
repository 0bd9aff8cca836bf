package org.opendelegate.manager.security;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM certificates and private keys with the JDK alone (no BouncyCastle): certificates and PKCS#8
 * keys directly; RSA PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) and EC SEC1 ({@code BEGIN EC PRIVATE KEY}) keys
 * by wrapping them in the PKCS#8 structure the JDK reads. Every failure is an {@link IllegalArgumentException}
 * whose message says what is wrong and how to fix it.
 */
public final class Pem {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----", Pattern.DOTALL);
    private static final Pattern PIN = Pattern.compile("[0-9a-f]{64}");
    /** DER of the AlgorithmIdentifier rsaEncryption (1.2.840.113549.1.1.1) with NULL parameters. */
    private static final byte[] RSA_ALGORITHM = HexFormat.of().parseHex("300d06092a864886f70d0101010500");
    /** DER of the OID id-ecPublicKey (1.2.840.10045.2.1). */
    private static final byte[] EC_PUBLIC_KEY_OID = HexFormat.of().parseHex("06072a8648ce3d0201");

    private static final String CONVERT =
            "; convert it to PKCS#8 with `openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem`";

    private Pem() {}

    /** The certificates of a PEM text, in order (the server certificate first in a chain). */
    public static List<X509Certificate> certificates(String pem) {
        if (pem == null || !pem.contains("-----BEGIN CERTIFICATE-----")) {
            throw new IllegalArgumentException("holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (var cert : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                out.add((X509Certificate) cert);
            }
            if (out.isEmpty()) {
                throw new IllegalArgumentException("holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
            }
            return out;
        } catch (CertificateException e) {
            throw new IllegalArgumentException("is not a valid PEM certificate: " + e.getMessage());
        }
    }

    /** The private key of a PEM text: PKCS#8, RSA PKCS#1 or EC SEC1, unencrypted. */
    public static PrivateKey privateKey(String pem) {
        Matcher m = BLOCK.matcher(pem == null ? "" : pem);
        while (m.find()) {
            PrivateKey key = keyOf(m.group(1), base64(m.group(2)));
            if (key != null) {
                return key;
            }
        }
        throw new IllegalArgumentException("holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
    }

    /** The key of one PEM block, or null for a block that is no key (EC PARAMETERS before an EC key). */
    private static PrivateKey keyOf(String type, byte[] der) {
        return switch (type) {
            case "PRIVATE KEY" -> pkcs8(der);
            case "RSA PRIVATE KEY" -> pkcs8(sequence(concat(new byte[] {2, 1, 0}, RSA_ALGORITHM, octets(der))));
            case "EC PRIVATE KEY" ->
                pkcs8(sequence(concat(
                        new byte[] {2, 1, 0}, sequence(concat(EC_PUBLIC_KEY_OID, namedCurve(der))), octets(der))));
            case "ENCRYPTED PRIVATE KEY" ->
                throw new IllegalArgumentException(
                        "is an encrypted private key, which the Manager cannot unlock" + CONVERT);
            default -> {
                if (type.endsWith("PRIVATE KEY")) {
                    throw new IllegalArgumentException("is a " + type + ", which the Manager cannot read" + CONVERT);
                }
                yield null;
            }
        };
    }

    /** Checks that {@code key} belongs to {@code certificate}: a signature by the key verifies with it. */
    public static void checkPair(X509Certificate certificate, PrivateKey key) {
        String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256with" + key.getAlgorithm();
        try {
            byte[] probe = "opendelegate key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            if (!verifier.verify(signature)) {
                throw new IllegalArgumentException("the private key does not belong to the certificate "
                        + certificate.getSubjectX500Principal().getName()
                        + "; give the key this certificate was made for");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the private key does not belong to the certificate "
                    + certificate.getSubjectX500Principal().getName() + " (" + e.getMessage() + ")");
        }
    }

    /** The SHA-256 of a certificate's DER encoding, 64 lower-case hex digits: what a delegate pins. */
    public static String sha256(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateException e) {
            throw new IllegalStateException("every JDK has SHA-256 and can encode a certificate it parsed", e);
        }
    }

    /** A pin as 64 lower-case hex digits ({@code openssl x509 -fingerprint -sha256} colons allowed); else null. */
    public static String normalizePin(String pin) {
        String hex = pin == null ? "" : pin.trim().replace(":", "").toLowerCase(Locale.ROOT);
        return PIN.matcher(hex).matches() ? hex : null;
    }

    /** True when the certificate is its own issuer and its own key signed it. */
    public static boolean selfSigned(X509Certificate certificate) {
        if (!certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
            return false;
        }
        try {
            certificate.verify(certificate.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The certificate as PEM text. */
    public static String encode(X509Certificate certificate) {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateException e) {
            throw new IllegalStateException("a certificate the JDK parsed can be encoded again", e);
        }
    }

    private static PrivateKey pkcs8(byte[] der) {
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "RSASSA-PSS")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // not this algorithm: try the next
            }
        }
        throw new IllegalArgumentException("holds a private key the JDK cannot read (not RSA, EC or Ed25519)");
    }

    /** The named-curve OID (DER) of a SEC1 ECPrivateKey: its {@code [0] parameters} field. */
    private static byte[] namedCurve(byte[] sec1) {
        int[] at = {0};
        expect(sec1, at, 0x30);
        readLength(sec1, at);
        skip(sec1, at, 0x02); // version
        skip(sec1, at, 0x04); // privateKey
        if (at[0] < sec1.length && (sec1[at[0]] & 0xff) == 0xa0) {
            at[0]++;
            int length = readLength(sec1, at);
            byte[] oid = new byte[length];
            System.arraycopy(sec1, at[0], oid, 0, length);
            return oid;
        }
        throw new IllegalArgumentException("is an EC key without its curve name" + CONVERT);
    }

    private static void skip(byte[] der, int[] at, int tag) {
        expect(der, at, tag);
        int length = readLength(der, at);
        at[0] += length;
    }

    private static void expect(byte[] der, int[] at, int tag) {
        if (at[0] >= der.length || (der[at[0]] & 0xff) != tag) {
            throw new IllegalArgumentException("is not a well-formed key" + CONVERT);
        }
        at[0]++;
    }

    private static int readLength(byte[] der, int[] at) {
        if (at[0] >= der.length) {
            throw new IllegalArgumentException("is not a well-formed key" + CONVERT);
        }
        int first = der[at[0]++] & 0xff;
        if (first < 0x80) {
            return first;
        }
        int length = 0;
        for (int i = 0; i < (first & 0x7f) && i < 3; i++) {
            length = (length << 8) | (der[at[0]++] & 0xff);
        }
        if (length > der.length - at[0]) {
            throw new IllegalArgumentException("is not a well-formed key" + CONVERT);
        }
        return length;
    }

    private static byte[] sequence(byte[] content) {
        return tagged(0x30, content);
    }

    private static byte[] octets(byte[] content) {
        return tagged(0x04, content);
    }

    private static byte[] tagged(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] base64(String body) {
        try {
            return Base64.getMimeDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("is not valid PEM (bad base64)");
        }
    }
}
