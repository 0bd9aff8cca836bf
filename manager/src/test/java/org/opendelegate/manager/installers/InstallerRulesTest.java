package org.opendelegate.manager.installers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.opendelegate.protocol.ProtocolJson;

class InstallerRulesTest {

    @Test
    void fargateTakesOnlyAwssTableOfSizes() {
        assertThat(TaskSize.fargateProblem(256, 512)).isNull();
        assertThat(TaskSize.fargateProblem(256, 2048)).isNull();
        assertThat(TaskSize.fargateProblem(512, 3072)).isNull();
        assertThat(TaskSize.fargateProblem(4096, 30720)).isNull();
        assertThat(TaskSize.fargateProblem(8192, 20480)).isNull();
        assertThat(TaskSize.fargateProblem(16384, 122880)).isNull();
        assertThat(TaskSize.fargateProblem(256, 3072)).contains("use 512, 1024 or 2048 MiB");
        assertThat(TaskSize.fargateProblem(512, 512)).contains("1024 to 4096 in steps of 1024");
        assertThat(TaskSize.fargateProblem(8192, 18432)).contains("16384 to 61440 in steps of 4096");
        assertThat(TaskSize.fargateProblem(384, 1024)).contains("not a Fargate size");
        assertThat(TaskSize.ec2Problem(128, 256)).isNull();
        assertThat(TaskSize.ec2Problem(64, 512)).contains("128 to 196608");
    }

    @Test
    void theFargateSizesOfferedAreExactlyTheOnesTheRuleAccepts() {
        var sizes = TaskSize.fargateSizes();

        assertThat(sizes.keySet()).containsExactly(256, 512, 1024, 2048, 4096, 8192, 16384);
        assertThat(sizes.get(256)).containsExactly(512, 1024, 2048);
        assertThat(sizes.get(16384)).startsWith(32768, 40960).endsWith(122880);
        sizes.forEach((cpu, memories) -> memories.forEach(memory -> assertThat(TaskSize.fargateProblem(cpu, memory))
                .as(cpu + "/" + memory)
                .isNull()));
    }

    @Test
    void theStepsShownAfterADownloadAreTheReadmesCommands() {
        InstallerContext ctx = new InstallerContext("https://od.example.com", "acct", "1.0", "tok");
        EcsSettings awsvpc = new EcsInstallerRequest(
                        "grp",
                        null,
                        true,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        "arn:aws:ssm:us-east-1:123456789012:parameter/od/token",
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null)
                .validate("opendelegate/delegate:1.0", "https://od.example.com", java.util.Optional.empty());
        EcsSettings bridge = new EcsInstallerRequest(
                        "grp", null, false, null, null, null, null, null, null, null, null, null, null, null, null,
                        null, null, 2, null, null, null, null)
                .validate("opendelegate/delegate:1.0", "https://od.example.com", java.util.Optional.empty());

        for (EcsSettings s : java.util.List.of(awsvpc, bridge)) {
            boolean tokenFile = s.tokenSecretArn() != null;
            String readme = EcsReadme.build(s, ctx, tokenFile);
            var steps = EcsReadme.steps(s, tokenFile);
            assertThat(steps).hasSize(tokenFile ? 3 : 2);
            for (var step : steps) {
                for (String line : step.command().split("\n")) {
                    assertThat(readme).contains("     " + line + "\n");
                }
            }
        }
        assertThat(EcsReadme.steps(awsvpc, true).get(2).command())
                .isEqualTo("aws ecs create-service --cli-input-json file://service-spec-for-awsvpc-mode.json");
        assertThat(EcsReadme.steps(bridge, false).get(1).command()).contains("--desired-count 2", "--launch-type EC2");
        assertThat(EcsReadme.notices(awsvpc, ctx)).singleElement().asString().contains("REPLACE_WITH_AWS_ACCOUNT_ID");
        assertThat(EcsReadme.notices(bridge, new InstallerContext("http://127.0.0.1:8080", "acct", "1.0", "tok")))
                .singleElement()
                .asString()
                .contains("OPENDELEGATE_EXTERNAL_URL");
    }

    @Test
    void theTemplatesTaskDefinitionIsTheTaskSpecsInCloudFormationsSpelling() {
        InstallerContext ctx = new InstallerContext("https://od.example.com", "acct", "1.0", "tok");
        EcsSettings s = new EcsInstallerRequest(
                        "grp",
                        null,
                        false,
                        "EC2",
                        "delegate-host",
                        null,
                        null,
                        "arn:aws:iam::123456789012:role/od-task",
                        "arn:aws:iam::123456789012:role/od-exec",
                        "/ecs/od",
                        "eu-west-1",
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null)
                .validate("opendelegate/delegate:1.0", "https://od.example.com", java.util.Optional.empty());

        ObjectNode spelled = CloudFormationTemplate.spelled(EcsTaskSpec.build(s, ctx, "secret"));
        String template = CloudFormationTemplate.build(s, ctx, "secret");

        assertThat(spelled.fieldNames())
                .toIterable()
                .containsExactly(
                        "Family",
                        "TaskRoleArn",
                        "ExecutionRoleArn",
                        "NetworkMode",
                        "RequiresCompatibilities",
                        "Cpu",
                        "Memory",
                        "ContainerDefinitions",
                        "Tags");
        JsonNode container = spelled.get("ContainerDefinitions").get(0);
        assertThat(container.get("PortMappings").get(0).get("ContainerPort").asInt())
                .isEqualTo(8089);
        assertThat(container.get("Environment").get(0).get("Name").asText()).isEqualTo("MANAGER_URL");
        // The log driver's options are its own settings, not CloudFormation properties: spelled as they are.
        assertThat(container.get("LogConfiguration").get("Options").fieldNames())
                .toIterable()
                .containsExactly("awslogs-group", "awslogs-region", "awslogs-stream-prefix");
        assertThat(template)
                .contains(
                        "Hostname: \"delegate-host\"",
                        "ContainerPort: 8089",
                        "HostPort: 0",
                        "StopTimeout: 30",
                        "awslogs-group: !Ref LogGroup",
                        "awslogs-region: !Ref AWS::Region",
                        "TaskRoleArn: \"arn:aws:iam::123456789012:role/od-task\"");
    }

    @Test
    void arnsAndNamesHaveAwssShapes() {
        assertThat(AwsShapes.ROLE_ARN
                        .matcher("arn:aws:iam::123456789012:role/service-role/od-task")
                        .matches())
                .isTrue();
        assertThat(AwsShapes.ROLE_ARN
                        .matcher("arn:aws-cn:iam::123456789012:role/od")
                        .matches())
                .isTrue();
        assertThat(AwsShapes.ROLE_ARN
                        .matcher("arn:aws:iam::123456789012:user/od")
                        .matches())
                .isFalse();
        assertThat(AwsShapes.ROLE_ARN
                        .matcher("arn:aws:iam::123456789012:role/od\"x")
                        .matches())
                .isFalse();
        assertThat(AwsShapes.ssmParameterName("arn:aws:ssm:us-east-1:123456789012:parameter/a/b"))
                .isEqualTo("/a/b");
        assertThat(AwsShapes.ssmParameterName("arn:aws:ssm:us-east-1:123456789012:parameter/token"))
                .isEqualTo("token");
        assertThat(AwsShapes.SECRETS_MANAGER_ARN
                        .matcher("arn:aws:secretsmanager:eu-west-1:123456789012:secret:od/token-AbCdEf")
                        .matches())
                .isTrue();
        assertThat(AwsShapes.HOSTNAME.matcher("delegate-1.internal").matches()).isTrue();
        assertThat(AwsShapes.HOSTNAME.matcher("delegate_1").matches()).isFalse();
        assertThat(AwsShapes.REGION.matcher("us-gov-west-1").matches()).isTrue();
        assertThat(AwsShapes.REGION.matcher("mars-1").matches()).isFalse();
    }

    @Test
    void yamlQuotesEveryValueAndUsesShortIntrinsics() {
        ObjectNode root = ProtocolJson.mapper().createObjectNode();
        root.put("Plain", "a: b # not a comment\n\"quoted\" \\ ${x}");
        root.set("Ref", CloudFormationTemplate.ref("Cluster"));
        root.set("Att", CloudFormationTemplate.getAtt("Role", "Arn"));
        root.putArray("List").add(1).addObject().put("Name", "x").put("Value", "y");
        root.putObject("Empty");

        String yaml = YamlEmitter.write(root);

        assertThat(yaml).isEqualTo("""
                Plain: "a: b # not a comment\\n\\"quoted\\" \\\\ ${x}"
                Ref: !Ref Cluster
                Att: !GetAtt Role.Arn
                List:
                  - 1
                  - Name: "x"
                    Value: "y"
                Empty: {}
                """);
    }
}
