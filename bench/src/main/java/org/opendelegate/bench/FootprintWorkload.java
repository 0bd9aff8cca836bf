package org.opendelegate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.opendelegate.protocol.AwsTaskTypes;
import org.opendelegate.protocol.DelegateApiPaths;
import org.opendelegate.protocol.TaskAssignment;
import org.opendelegate.protocol.TaskTypes;
import org.opendelegate.testkit.FakeManager;

/**
 * The work of the footprint benchmark: every time a delegate registers with the {@link FootprintManager},
 * it is handed {@code awsTasks} AWS lookups (round robin over the lookups that need nothing but a region,
 * plus subnets and security groups of {@code vpcId} when one is given) and {@code scriptTasks} small shell
 * scripts, interleaved. Once every outcome is back it prints one line the benchmark script waits for:
 *
 * <pre>work done for registration N: 2000 tasks (2000 succeeded) in 61234 ms</pre>
 *
 * The AWS lookups act with the delegate's own credentials (the environment's, against moto_server).
 */
final class FootprintWorkload implements Runnable {
    private static final List<String> LOOKUPS = List.of(
            AwsTaskTypes.TEST_CONNECTION,
            AwsTaskTypes.REGIONS,
            AwsTaskTypes.VPCS,
            AwsTaskTypes.ECS_CLUSTERS,
            AwsTaskTypes.IAM_ROLES);
    private static final List<String> VPC_LOOKUPS = List.of(AwsTaskTypes.SUBNETS, AwsTaskTypes.SECURITY_GROUPS);
    private static final String SCRIPT = "echo \"task $TASK_NUMBER\"\nfor i in 1 2 3; do echo \"line $i\"; done\n";

    private final FakeManager manager;
    private final int awsTasks;
    private final int scriptTasks;
    private final String region;
    private final String vpcId;

    FootprintWorkload(FakeManager manager, int awsTasks, int scriptTasks, String region, String vpcId) {
        this.manager = manager;
        this.awsTasks = awsTasks;
        this.scriptTasks = scriptTasks;
        this.region = region;
        this.vpcId = vpcId;
    }

    @Override
    public void run() {
        try {
            int registrations = 0;
            while (true) {
                if (manager.calls(DelegateApiPaths.REGISTER).size() > registrations) {
                    registrations++;
                    runFor(registrations);
                }
                Thread.sleep(50); // the fake Manager's own pace, not a test waiting
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void runFor(int registration) throws InterruptedException {
        long start = System.nanoTime();
        String prefix = "r" + registration + "-";
        int queued = 0;
        for (int i = 0; i < Math.max(awsTasks, scriptTasks); i++) {
            if (i < awsTasks) {
                manager.assign(assignment(prefix + "aws-" + i, awsType(i), awsPayload()));
                queued++;
            }
            if (i < scriptTasks) {
                manager.assign(assignment(prefix + "script-" + i, TaskTypes.SHELL_SCRIPT, scriptPayload(i)));
                queued++;
            }
        }
        String outcomePrefix = FakeManager.outcomePath(prefix);
        while (true) {
            int done = 0;
            int succeeded = 0;
            String firstFailure = null;
            for (FakeManager.Call call : manager.calls()) {
                if (call.path().startsWith(outcomePrefix)) {
                    done++;
                    if ("SUCCEEDED".equals(call.body().path("status").asText())) {
                        succeeded++;
                    } else if (firstFailure == null) {
                        firstFailure = call.body().toString();
                    }
                }
            }
            if (done >= queued) {
                System.out.printf(
                        "work done for registration %d: %d tasks (%d succeeded) in %d ms%n",
                        registration, done, succeeded, (System.nanoTime() - start) / 1_000_000);
                if (firstFailure != null) {
                    System.out.println("first failure: " + firstFailure);
                }
                System.out.flush();
                return;
            }
            Thread.sleep(500);
        }
    }

    private String awsType(int i) {
        List<String> types = vpcId == null ? LOOKUPS : concat(LOOKUPS, VPC_LOOKUPS);
        return types.get(i % types.size());
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    private JsonNode awsPayload() {
        ObjectNode payload = JsonNodeFactory.instance.objectNode().put("region", region);
        payload.putObject("credentials").put("type", "DELEGATE_IAM_ROLE");
        if (vpcId != null) {
            payload.put("vpcId", vpcId);
        }
        return payload;
    }

    private static JsonNode scriptPayload(int i) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode().put("script", SCRIPT);
        payload.putObject("env").put("TASK_NUMBER", String.valueOf(i));
        return payload;
    }

    private static TaskAssignment assignment(String taskId, String type, JsonNode payload) {
        return new TaskAssignment(
                taskId, type, payload, 1, 1, 60_000, 120_000, JsonNodeFactory.instance.objectNode(), "l-" + taskId);
    }
}
