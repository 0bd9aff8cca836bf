package org.opendelegate.tasks.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opendelegate.protocol.SignedStsRequest;

/** The delegate's AWS identity proof: a SigV4-signed GetCallerIdentity that signs the Manager's name and host. */
class StsIdentityProofTest {
    @BeforeEach
    void credentials() {
        System.setProperty("aws.accessKeyId", "AKIAIOSFODNN7EXAMPLE");
        System.setProperty("aws.secretAccessKey", "testing");
        System.setProperty("aws.region", "eu-west-1");
    }

    @AfterEach
    void clear() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        System.clearProperty("aws.region");
    }

    @Test
    void theProofSignsTheManagerIdTheHostAndTheDateForTheRegionalEndpoint() {
        SignedStsRequest proof = new StsIdentityProof("odm_manager-a", Map.of()).sign();

        assertThat(proof.method()).isEqualTo("POST");
        assertThat(proof.url()).isEqualTo("https://sts.eu-west-1.amazonaws.com/");
        assertThat(proof.body()).isEqualTo(SignedStsRequest.GET_CALLER_IDENTITY_BODY);
        assertThat(proof.headers()).containsEntry(SignedStsRequest.MANAGER_ID_HEADER, "odm_manager-a");
        assertThat(proof.headers()).containsEntry("Host", "sts.eu-west-1.amazonaws.com");
        assertThat(proof.headers().get("Authorization"))
                .startsWith("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/")
                .contains("/eu-west-1/sts/aws4_request")
                .contains("host;")
                .contains("x-amz-date")
                .contains("x-opendelegate-manager-id");
    }

    @Test
    void aConfiguredStsEndpointIsSignedFor() {
        SignedStsRequest proof =
                new StsIdentityProof("m", Map.of("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:4566")).sign();

        assertThat(proof.url()).isEqualTo("http://127.0.0.1:4566/");
        assertThat(proof.headers()).containsEntry("Host", "127.0.0.1:4566");
    }
}
