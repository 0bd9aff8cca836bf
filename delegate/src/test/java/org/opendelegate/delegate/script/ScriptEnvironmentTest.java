package org.opendelegate.delegate.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScriptEnvironmentTest {

    private static Map<String, String> build(Map<String, String> delegateEnv, Map<String, String> taskEnv) {
        Map<String, String> env = new HashMap<>(delegateEnv);
        ScriptPayload payload =
                new ScriptPayload("true", "bash", taskEnv, Map.of(), Path.of(""), Duration.ofSeconds(10));
        ScriptEnvironment.build(env, payload, Map.of("DB_PASSWORD", "resolved"), "task-1", Path.of("/w/outputs"));
        return env;
    }

    @Test
    void theDelegatesCredentialsAndTheManagersSettingsAreRemoved() {
        Map<String, String> env = build(
                Map.of(
                        "DELEGATE_TOKEN", "od_token",
                        "DELEGATE_PROXY_PASSWORD", "p",
                        "DELEGATE_SOME_SECRET", "s",
                        "DELEGATE_API_KEY", "k",
                        "DELEGATE_CREDENTIALS", "c",
                        "OPENDELEGATE_MASTER_KEY", "m",
                        "OPENDELEGATE_DB_PASSWORD", "d",
                        "OPENDELEGATE_ADMIN_API_KEY", "a"),
                Map.of());
        assertThat(env)
                .doesNotContainKeys(
                        "DELEGATE_TOKEN",
                        "DELEGATE_PROXY_PASSWORD",
                        "DELEGATE_SOME_SECRET",
                        "DELEGATE_API_KEY",
                        "DELEGATE_CREDENTIALS",
                        "OPENDELEGATE_MASTER_KEY",
                        "OPENDELEGATE_DB_PASSWORD",
                        "OPENDELEGATE_ADMIN_API_KEY");
    }

    @Test
    void theAwsIdentityProxiesAndPlainSettingsStay() {
        Map<String, String> delegateEnv = Map.of(
                "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/x",
                "AWS_REGION", "eu-west-1",
                "AWS_ACCESS_KEY_ID", "AKIA",
                "HTTPS_PROXY", "http://proxy:3128",
                "PATH", "/usr/bin:/bin",
                "DELEGATE_GROUP_NAME", "ecs-prod",
                "DELEGATE_WORK_DIR", "/work",
                "DELEGATE_TOKENLESS_MODE", "x");
        assertThat(build(delegateEnv, Map.of())).containsAllEntriesOf(delegateEnv);
    }

    @Test
    void theTaskAddsItsVariablesSecretsAndTheTwoOfItsOwnLast() {
        Map<String, String> env = build(
                Map.of("PATH", "/bin"), Map.of("GREETING", "hi", "OPENDELEGATE_TASK_ID", "forged", "PATH", "/opt/bin"));
        assertThat(env)
                .containsEntry("GREETING", "hi")
                .containsEntry("PATH", "/opt/bin")
                .containsEntry("DB_PASSWORD", "resolved")
                .containsEntry("OPENDELEGATE_TASK_ID", "task-1")
                .containsEntry("OPENDELEGATE_OUTPUT", "/w/outputs");
    }
}
