package org.opendelegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The CloudFormation template for the Manager itself ({@code docs/manager-cloudformation.yaml}: replicas as
 * an ECS Fargate service behind an ALB on RDS PostgreSQL) passes cfn-lint, and says what running several
 * replicas needs: health checks on {@code /readyz}, an idle timeout above the longest long-poll wait, no
 * stickiness, one master key from Secrets Manager for all replicas, rolling upgrades with both versions up.
 */
class ManagerCloudFormationTest {
    private static final Path ROOT = Path.of(
                    System.getProperty("opendelegate.managerJar", "../manager/target/opendelegate-manager.jar"))
            .toAbsolutePath()
            .getParent()
            .getParent()
            .getParent();
    private static final Path TEMPLATE = ROOT.resolve("docs/manager-cloudformation.yaml");
    /** The longest {@code OPENDELEGATE_POLL_WAIT} the Manager accepts, in seconds. */
    private static final int LONGEST_POLL_WAIT_SECONDS = 30;

    @Test
    void theTemplatePassesCfnLintAndABrokenCopyDoesNot() throws Exception {
        Path broken = Files.createTempFile("manager-cfn-broken", ".yaml");
        try {
            Files.writeString(broken, Files.readString(TEMPLATE).replace("LaunchType: FARGATE", "LaunchType: MOON"));
            // Both at once: cfn-lint takes most of its time starting.
            Process lint = cfnLint(TEMPLATE);
            Process lintBroken = cfnLint(broken);
            String output = new String(lint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String brokenOutput = new String(lintBroken.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(lint.waitFor()).as(output).isZero();
            assertThat(lintBroken.waitFor())
                    .as("cfn-lint must notice a bad launch type")
                    .isNotZero();
            assertThat(brokenOutput).contains("MOON");
        } finally {
            Files.deleteIfExists(broken);
        }
    }

    @Test
    void theTemplateRunsReplicasTheWayOperationsMdSays() throws IOException {
        String t = Files.readString(TEMPLATE);

        assertThat(t)
                .contains(
                        "HealthCheckPath: /readyz",
                        "Key: stickiness.enabled\n          Value: \"false\"",
                        "Name: OPENDELEGATE_MASTER_KEY\n              ValueFrom: !Ref MasterKeySecretArn",
                        "Name: OPENDELEGATE_DB_URL\n              Value: !Ref DatabaseUrl",
                        "MinimumHealthyPercent: 100",
                        "MaximumPercent: 200",
                        "LaunchType: FARGATE",
                        "- Name: nofile\n              SoftLimit: 65536\n              HardLimit: 65536");
        Matcher idle = Pattern.compile("Key: idle_timeout.timeout_seconds\\s+Value: \"(\\d+)\"")
                .matcher(t);
        assertThat(idle.find()).as("the ALB idle timeout is set").isTrue();
        assertThat(Integer.parseInt(idle.group(1)))
                .as("the ALB idle timeout is above the longest long-poll wait")
                .isGreaterThan(LONGEST_POLL_WAIT_SECONDS);
        assertThat(Files.readString(ROOT.resolve("docs/operations.md"))).contains("manager-cloudformation.yaml");
    }

    private static Process cfnLint(Path template) throws IOException {
        return new ProcessBuilder("cfn-lint", "--", template.toString())
                .redirectErrorStream(true)
                .start();
    }
}
