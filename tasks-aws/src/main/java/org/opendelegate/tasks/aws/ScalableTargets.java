package org.opendelegate.tasks.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * The Application Auto Scaling min/max of an ECS service, which a rollback needs to know. The SDK module of that
 * service is not available to this build, so this is one SigV4-signed JSON 1.1 call
 * ({@code DescribeScalableTargets}) through the session's HTTP client, credentials and endpoint settings.
 */
final class ScalableTargets {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ScalableTargets() {}

    /**
     * {@code {"minCapacity": 1, "maxCapacity": 4}}, or a JSON null when the service has no scalable target or AWS
     * would not tell (the log says which).
     */
    static JsonNode of(AwsSession session, String cluster, String service) throws InterruptedException {
        String resource = "service/" + Arns.lastPart(cluster) + "/" + service;
        String body = JSON.createObjectNode()
                .put("ServiceNamespace", "ecs")
                .put("ScalableDimension", "ecs:service:DesiredCount")
                .set("ResourceIds", JSON.createArrayNode().add(resource))
                .toString();
        String region = session.region().id();
        try {
            URI endpoint = AwsClientSettings.endpoint("application_auto_scaling", "application-autoscaling", region);
            SdkHttpRequest request = SdkHttpRequest.builder()
                    .method(SdkHttpMethod.POST)
                    .uri(endpoint.resolve("/"))
                    .putHeader("Content-Type", "application/x-amz-json-1.1")
                    .putHeader("X-Amz-Target", "AnyScaleFrontendService.DescribeScalableTargets")
                    .build();
            SignedRequest signed = AwsV4HttpSigner.create()
                    .sign(r -> r.identity(session.credentialsIdentity())
                            .request(request)
                            .payload(ContentStreamProvider.fromString(body, StandardCharsets.UTF_8))
                            .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "application-autoscaling")
                            .putProperty(AwsV4HttpSigner.REGION_NAME, region));
            HttpExecuteResponse response = session.httpClient()
                    .prepareRequest(HttpExecuteRequest.builder()
                            .request(signed.request())
                            .contentStreamProvider(signed.payload().orElse(null))
                            .build())
                    .call();
            JsonNode answer;
            try (InputStream in = response.responseBody().orElseThrow()) {
                answer = JSON.readTree(in);
            }
            int status = response.httpResponse().statusCode();
            if (status / 100 != 2) {
                session.context()
                        .log("application-autoscaling:DescribeScalableTargets on " + resource + " was refused ("
                                + answer.path("__type").asText("HTTP " + status) + "): the rollback restores the task"
                                + " definition and desired count, not the scaling min/max");
                return JsonNodeFactory.instance.nullNode();
            }
            for (JsonNode target : answer.path("ScalableTargets")) {
                if (resource.equals(target.path("ResourceId").asText())) {
                    ObjectNode scaling = JsonNodeFactory.instance
                            .objectNode()
                            .put("minCapacity", target.path("MinCapacity").asInt())
                            .put("maxCapacity", target.path("MaxCapacity").asInt());
                    session.record(
                            "application-autoscaling",
                            "DescribeScalableTargets",
                            1,
                            -1,
                            "min " + scaling.get("minCapacity") + ", max " + scaling.get("maxCapacity") + " for "
                                    + resource);
                    return scaling;
                }
            }
            session.record(
                    "application-autoscaling", "DescribeScalableTargets", 1, -1, "no scalable target for " + resource);
            return JsonNodeFactory.instance.nullNode();
        } catch (Exception e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("stopped during application-autoscaling:DescribeScalableTargets");
            }
            session.context()
                    .log("application-autoscaling:DescribeScalableTargets on " + resource + " failed (" + e
                            + "): the scaling min/max were not read");
            return JsonNodeFactory.instance.nullNode();
        }
    }
}
