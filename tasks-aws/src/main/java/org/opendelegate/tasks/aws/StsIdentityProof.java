package org.opendelegate.tasks.aws;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opendelegate.protocol.SignedStsRequest;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * Makes the AWS identity proof a delegate registers with when it has no token (IAM registration): an
 * {@code sts:GetCallerIdentity} request signed with SigV4 by the delegate's own credentials (the standard
 * chain: in ECS the task role), including a header that names the Manager it is meant for. The delegate never
 * sends it to AWS; the Manager does, to an STS endpoint it trusts. Signed for {@code AWS_ENDPOINT_URL_STS} (or
 * {@code AWS_ENDPOINT_URL}) when set, e.g. a VPC endpoint, else for {@code https://sts.<region>.amazonaws.com}.
 */
public final class StsIdentityProof {
    private final String managerName;
    private final Map<String, String> env;

    /**
     * @param managerName what names the Manager: {@code MANAGER_ID}, or the origin of {@code MANAGER_URL}
     * @param env the process environment (for the STS endpoint)
     */
    public StsIdentityProof(String managerName, Map<String, String> env) {
        this.managerName = managerName;
        this.env = Map.copyOf(env);
    }

    /** A fresh proof (a Manager accepts one for 15 minutes); throws with a readable message if AWS is not set up. */
    public SignedStsRequest sign() {
        try {
            String region =
                    DefaultAwsRegionProviderChain.builder().build().getRegion().id();
            URI endpoint = endpoint(region);
            AwsCredentialsIdentity credentials =
                    DefaultCredentialsProvider.builder().build().resolveCredentials();
            SdkHttpRequest request = SdkHttpRequest.builder()
                    .method(SdkHttpMethod.POST)
                    .uri(endpoint.resolve("/"))
                    .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                    .putHeader(SignedStsRequest.MANAGER_ID_HEADER, managerName)
                    .build();
            SignedRequest signed = AwsV4HttpSigner.create()
                    .sign(r -> r.identity(credentials)
                            .request(request)
                            .payload(ContentStreamProvider.fromString(
                                    SignedStsRequest.GET_CALLER_IDENTITY_BODY, StandardCharsets.UTF_8))
                            .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sts")
                            .putProperty(AwsV4HttpSigner.REGION_NAME, region));
            Map<String, String> headers = new LinkedHashMap<>();
            signed.request().headers().forEach((name, values) -> headers.put(name, String.join(",", values)));
            return new SignedStsRequest(
                    "POST", signed.request().getUri().toString(), headers, SignedStsRequest.GET_CALLER_IDENTITY_BODY);
        } catch (SdkException e) {
            throw new IllegalStateException(
                    "cannot sign the AWS identity proof for IAM registration (" + e.getMessage()
                            + "); run the delegate with AWS credentials (an ECS task role) and AWS_REGION set",
                    e);
        }
    }

    private URI endpoint(String region) {
        for (String name : List.of("AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL")) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                return URI.create(value.trim());
            }
        }
        return URI.create("https://sts." + region + ".amazonaws.com");
    }
}
