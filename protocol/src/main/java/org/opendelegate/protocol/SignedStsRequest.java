package org.opendelegate.protocol;

import java.util.Map;

/**
 * A presigned {@code sts:GetCallerIdentity} request a delegate sends with its registration instead of a
 * delegate token (IAM registration). The delegate signs it with its own AWS credentials (SigV4) and never
 * sends it to AWS itself; the Manager sends it to an STS endpoint the Manager trusts and learns from the
 * answer which AWS identity signed it. The signed headers include {@link #MANAGER_ID_HEADER}, which names
 * the Manager the signature is meant for, so another Manager cannot replay it.
 *
 * @param method the HTTP method (POST)
 * @param url the URL the request was signed for; the Manager only reads its host from the signed headers
 * @param headers the request headers, {@code Authorization} and {@code X-Amz-Date} included
 * @param body the form body, {@code Action=GetCallerIdentity&Version=2011-06-15}
 */
public record SignedStsRequest(String method, String url, Map<String, String> headers, String body) {
    /** The signed header that names the Manager a signature is meant for. */
    public static final String MANAGER_ID_HEADER = "X-OpenDelegate-Manager-Id";

    /** The only body the Manager forwards to STS. */
    public static final String GET_CALLER_IDENTITY_BODY = "Action=GetCallerIdentity&Version=2011-06-15";

    public SignedStsRequest {
        // Checked entry by entry: an immutable map throws on containsKey(null).
        if (headers != null && headers.entrySet().stream().anyMatch(h -> h.getKey() == null || h.getValue() == null)) {
            throw new IllegalArgumentException("has a header without a name or a value; send each signed header with"
                    + " the value that was signed.");
        }
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }
}
