package org.opendelegate.tasks.aws;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.opendelegate.protocol.ProtocolJson;
import org.opendelegate.spi.TaskFailure;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Resolves a script's AWS secret references on the delegate, with the delegate's own identity (the default
 * credential chain), so the Manager never sees those values: {@code aws-secretsmanager:<arn-or-name>[#json-key]}
 * and {@code aws-ssm:<parameter-name-or-arn>}. The region comes from the ARN when the reference is one, else
 * from the SDK's default chain ({@code AWS_REGION}); {@code AWS_ENDPOINT_URL} is honoured by the SDK.
 * Failures name the reference and what AWS said, never a value.
 */
public final class AwsSecretReferences {
    /** The prefix of a Secrets Manager reference. */
    public static final String SECRETS_MANAGER = "aws-secretsmanager:";
    /** The prefix of an SSM Parameter Store reference. */
    public static final String SSM = "aws-ssm:";

    private static final AwsTaskInput OWN_IDENTITY =
            new AwsTaskInput("", AwsTaskInput.Mode.DELEGATE_IAM_ROLE, null, null, null);

    private AwsSecretReferences() {}

    /** True for the references this class resolves. */
    public static boolean handles(String reference) {
        return reference.startsWith(SECRETS_MANAGER) || reference.startsWith(SSM);
    }

    /**
     * The value a reference names.
     *
     * @param deadline no call outlives it (the task's deadline)
     * @throws TaskFailure naming the reference and the AWS error when it does not resolve
     * @throws InterruptedException when the task was stopped during the call
     */
    public static String resolve(String reference, Instant deadline) throws TaskFailure, InterruptedException {
        if (reference.startsWith(SECRETS_MANAGER)) {
            String target = reference.substring(SECRETS_MANAGER.length());
            int hash = target.lastIndexOf('#');
            String id = hash < 0 ? target : target.substring(0, hash);
            String key = hash < 0 ? null : target.substring(hash + 1);
            String value = call(reference, "secretsmanager:GetSecretValue", () -> secretValue(id, deadline));
            return key == null ? value : jsonKey(reference, value, key);
        }
        if (reference.startsWith(SSM)) {
            String name = reference.substring(SSM.length());
            return call(reference, "ssm:GetParameter", () -> parameter(name, deadline));
        }
        throw TaskFailure.task("secret reference " + reference + " is not an aws-secretsmanager: or aws-ssm: one");
    }

    private static String secretValue(String id, Instant deadline) {
        SdkHttpClient http = AwsClientSettings.httpClient();
        try (http;
                SecretsManagerClient client = SecretsManagerClient.builder()
                        .region(regionOf(id))
                        .credentialsProvider(DelegateCredentials.provider())
                        .httpClient(http)
                        .overrideConfiguration(AwsClientSettings.overrides(deadline))
                        .build()) {
            GetSecretValueResponse answer = client.getSecretValue(b -> b.secretId(id));
            return answer.secretString() != null
                    ? answer.secretString()
                    : answer.secretBinary().asString(StandardCharsets.UTF_8);
        }
    }

    private static String parameter(String name, Instant deadline) {
        SdkHttpClient http = AwsClientSettings.httpClient();
        try (http;
                SsmClient client = SsmClient.builder()
                        .region(regionOf(name))
                        .credentialsProvider(DelegateCredentials.provider())
                        .httpClient(http)
                        .overrideConfiguration(AwsClientSettings.overrides(deadline))
                        .build()) {
            return client.getParameter(b -> b.name(name).withDecryption(true))
                    .parameter()
                    .value();
        }
    }

    /** The region of an ARN ({@code arn:partition:service:region:...}), else the SDK's default region. */
    static Region regionOf(String idOrArn) {
        String[] parts = idOrArn.split(":", 6);
        if (parts.length >= 6 && parts[0].equals("arn") && !parts[3].isEmpty()) {
            return Region.of(parts[3]);
        }
        return new DefaultAwsRegionProviderChain().getRegion();
    }

    private static String jsonKey(String reference, String value, String key) throws TaskFailure {
        JsonNode json;
        try {
            json = ProtocolJson.mapper().readTree(value);
        } catch (IOException e) {
            // Never the parser's message: it quotes the secret's text.
            throw TaskFailure.task("secret reference " + reference + " names the JSON key '" + key
                    + "', but the secret's value is not JSON");
        }
        JsonNode field = json == null || !json.isObject() ? null : json.get(key);
        if (field == null || field.isNull()) {
            throw TaskFailure.task("secret reference " + reference + ": the secret's JSON has no key '" + key + "'");
        }
        return field.isValueNode() ? field.asText() : field.toString();
    }

    private interface AwsCall {
        String run();
    }

    private static String call(String reference, String action, AwsCall body) throws TaskFailure, InterruptedException {
        try {
            return body.run();
        } catch (SdkException e) {
            if (Thread.currentThread().isInterrupted() || e instanceof AbortedException) {
                throw new InterruptedException("the task was stopped while resolving " + reference);
            }
            TaskFailure why = AwsFailures.classify(
                    e, action, OWN_IDENTITY.credentialsDescription(), OWN_IDENTITY, endpointOf(action));
            TaskFailure named = why.kind() == org.opendelegate.protocol.ErrorKind.CAPABILITY
                    ? TaskFailure.capability("secret reference " + reference + " did not resolve: " + why.getMessage())
                    : TaskFailure.task("secret reference " + reference + " did not resolve: " + why.getMessage());
            throw named;
        }
    }

    private static String endpointOf(String action) {
        String service = action.substring(0, action.indexOf(':'));
        try {
            return AwsClientSettings.describeEndpoint(
                    service, new DefaultAwsRegionProviderChain().getRegion().id());
        } catch (SdkException e) {
            return AwsClientSettings.describeEndpoint(service, "(no region)");
        }
    }
}
