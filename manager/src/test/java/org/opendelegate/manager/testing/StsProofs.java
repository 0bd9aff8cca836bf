package org.opendelegate.manager.testing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.opendelegate.protocol.SignedStsRequest;

/**
 * Presigned {@code sts:GetCallerIdentity} requests as a delegate sends them, made in tests with a plain SigV4
 * signer (the Manager's tests do not depend on the AWS SDK; the delegate's real signer is the SDK's).
 */
public final class StsProofs {
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** AWS credentials: a key pair and, for a role's temporary credentials, a session token (or null). */
    public record Credentials(String accessKeyId, String secretAccessKey, String sessionToken) {}

    private StsProofs() {}

    /** A GetCallerIdentity request signed at {@code at} for {@code host} in {@code region}, naming {@code managerId}. */
    public static SignedStsRequest sign(
            Credentials credentials, String host, String region, String managerId, Instant at) {
        String amzDate = AMZ_DATE.format(at);
        String date = amzDate.substring(0, 8);
        String body = SignedStsRequest.GET_CALLER_IDENTITY_BODY;
        Map<String, String> headers = new TreeMap<>();
        headers.put("content-type", "application/x-www-form-urlencoded; charset=utf-8");
        headers.put("host", host);
        headers.put("x-amz-date", amzDate);
        if (credentials.sessionToken() != null) {
            headers.put("x-amz-security-token", credentials.sessionToken());
        }
        headers.put(SignedStsRequest.MANAGER_ID_HEADER.toLowerCase(java.util.Locale.ROOT), managerId);
        StringBuilder canonicalHeaders = new StringBuilder();
        headers.forEach((k, v) ->
                canonicalHeaders.append(k).append(':').append(v.trim()).append('\n'));
        String signedHeaders = String.join(";", headers.keySet());
        String canonicalRequest = "POST\n/\n\n" + canonicalHeaders + "\n" + signedHeaders + "\n"
                + hex(sha256(body.getBytes(StandardCharsets.UTF_8)));
        String scope = date + "/" + region + "/sts/aws4_request";
        String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + credentials.secretAccessKey()).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, "sts");
        key = hmac(key, "aws4_request");
        String signature = hex(hmac(key, stringToSign));
        Map<String, String> sent = new LinkedHashMap<>(headers);
        sent.put(
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=" + credentials.accessKeyId() + "/" + scope + ", SignedHeaders="
                        + signedHeaders + ", Signature=" + signature);
        return new SignedStsRequest("POST", "https://" + host + "/", sent, body);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
