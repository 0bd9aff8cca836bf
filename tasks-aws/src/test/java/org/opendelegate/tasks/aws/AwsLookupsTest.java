package org.opendelegate.tasks.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opendelegate.protocol.AwsTaskTypes;
import org.opendelegate.protocol.ErrorKind;
import org.opendelegate.spi.TaskContext;
import org.opendelegate.spi.TaskFailure;

/**
 * The lookups against {@link FakeAws}: they follow every page to the end, retry throttling with backoff
 * (unless {@code AWS_MAX_ATTEMPTS} says otherwise), log each call with the principal, and keep the secret
 * access key out of the log and the result. The endpoint is given the standard way, {@code aws.endpointUrl}.
 */
class AwsLookupsTest {
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY";
    private FakeAws aws;

    /** A task context that records its log. */
    record Context(ObjectNode payload, ObjectNode secrets, List<String> lines) implements TaskContext {
        @Override
        public String taskId() {
            return "task-1";
        }

        @Override
        public int attempt() {
            return 1;
        }

        @Override
        public long fencingToken() {
            return 1;
        }

        @Override
        public Instant deadline() {
            return Instant.now().plusSeconds(60);
        }

        @Override
        public void log(String line) {
            lines.add(line);
        }

        @Override
        public boolean isCancelled() {
            return false;
        }
    }

    @BeforeEach
    void start() {
        aws = new FakeAws(250, 2_345);
        System.setProperty("aws.endpointUrl", aws.endpoint());
    }

    @AfterEach
    void stop() {
        System.clearProperty("aws.endpointUrl");
        System.clearProperty("aws.maxAttempts");
        aws.close();
    }

    private static Context accessKeyTask(String... params) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode().put("region", "us-east-1");
        payload.putObject("credentials").put("type", "ACCESS_KEY").put("accessKeyId", "AKIAFAKE");
        for (int i = 0; i < params.length; i += 2) {
            payload.put(params[i], params[i + 1]);
        }
        return new Context(
                payload, JsonNodeFactory.instance.objectNode().put("secretAccessKey", SECRET), new ArrayList<>());
    }

    @Test
    void clustersArePagedToTheEndAHundredAtATime() throws Exception {
        Context task = accessKeyTask();

        JsonNode result = AwsTaskHandler.of(AwsTaskTypes.ECS_CLUSTERS).run(task);

        assertThat(result.get("clusters")).hasSize(250);
        assertThat(result.get("clusters").get(249).get("name").asText()).isEqualTo("c-249");
        assertThat(aws.requests.stream().filter(r -> r.startsWith("ListClusters")))
                .hasSize(3);
        assertThat(task.lines())
                .contains("ecs:ListClusters as arn:aws:iam::123456789012:user/fake (region us-east-1): "
                        + "250 clusters in 3 pages");
        assertThat(result.get("principal").asText()).isEqualTo("arn:aws:iam::123456789012:user/fake");
    }

    @Test
    void subnetsOfAVpcArePagedToTheEndAThousandAtATimeWithTheirZoneAndCidr() throws Exception {
        Context task = accessKeyTask("vpcId", "vpc-big");

        JsonNode result = AwsTaskHandler.of(AwsTaskTypes.SUBNETS).run(task);

        assertThat(result.get("subnets")).hasSize(2_345);
        JsonNode last = result.get("subnets").get(2_344);
        assertThat(last.get("id").asText()).isEqualTo("subnet-2344");
        assertThat(last.get("vpcId").asText()).isEqualTo("vpc-big");
        assertThat(last.get("availabilityZone").asText()).startsWith("us-east-1");
        assertThat(last.get("cidr").asText()).endsWith("/28");
        assertThat(task.lines())
                .anyMatch(l -> l.equals("ec2:DescribeSubnets as arn:aws:iam::123456789012:user/fake "
                        + "(region us-east-1): 2,345 subnets in vpc-big in 3 pages"));
        assertThat(String.join("\n", task.lines()) + result).doesNotContain(SECRET);
        assertThat(aws.requests).noneMatch(r -> r.contains(SECRET));
    }

    @Test
    void throttlingIsRetriedWithBackoffAndTheLookupSucceeds() throws Exception {
        aws.throttleNext.set(2);

        JsonNode result = AwsTaskHandler.of(AwsTaskTypes.SUBNETS).run(accessKeyTask("vpcId", "vpc-1"));

        assertThat(result.get("subnets")).hasSize(2_345);
        assertThat(aws.requests.stream().filter(r -> r.startsWith("DescribeSubnets")))
                .hasSize(3 + 2);
    }

    @Test
    void withAwsMaxAttemptsOneThrottlingIsNotRetriedAndSaysSo() {
        System.setProperty("aws.maxAttempts", "1");
        aws.throttleNext.set(1);

        assertThatThrownBy(() -> AwsTaskHandler.of(AwsTaskTypes.SUBNETS).run(accessKeyTask("vpcId", "vpc-1")))
                .isInstanceOfSatisfying(
                        TaskFailure.class, f -> assertThat(f.kind()).isEqualTo(ErrorKind.TASK))
                .hasMessageStartingWith("AWS kept throttling ec2:DescribeSubnets (RequestLimitExceeded)");
    }

    @Test
    void aTaskWithoutItsSecretOrRegionFailsWithWhatIsMissing() {
        Context noSecret =
                new Context(accessKeyTask().payload(), JsonNodeFactory.instance.objectNode(), new ArrayList<>());
        Context noRegion = accessKeyTask();
        noRegion.payload().remove("region");

        assertThatThrownBy(() -> AwsTaskHandler.of(AwsTaskTypes.VPCS).run(noSecret))
                .hasMessageContaining("no secret access key");
        assertThatThrownBy(() -> AwsTaskHandler.of(AwsTaskTypes.VPCS).run(noRegion))
                .hasMessageContaining("needs a region");
        assertThatThrownBy(() -> AwsTaskHandler.of(AwsTaskTypes.SUBNETS).run(accessKeyTask()))
                .hasMessageContaining("\"vpcId\"");
    }
}
