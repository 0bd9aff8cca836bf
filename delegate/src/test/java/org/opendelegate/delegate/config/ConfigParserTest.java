package org.opendelegate.delegate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opendelegate.protocol.DelegateType;

class ConfigParserTest {

    static Map<String, String> minimal() {
        Map<String, String> env = new HashMap<>();
        env.put("MANAGER_URL", "https://manager.example.com/");
        env.put("ACCOUNT_ID", "acc-123");
        env.put("DELEGATE_TOKEN", "s3cr3t-token-value");
        env.put("DELEGATE_GROUP_NAME", "ecs-prod");
        return env;
    }

    static List<String> problems(Map<String, String> env) {
        return catchThrowableOfType(InvalidConfigException.class, () -> ConfigParser.parse(env))
                .problems();
    }

    @Test
    void theFourRequiredSettingsAreEnoughAndEverythingElseHasADefault() throws Exception {
        DelegateConfig config = ConfigParser.parse(minimal());

        assertThat(config.managerUrl()).isEqualTo(URI.create("https://manager.example.com"));
        assertThat(config.accountId()).isEqualTo("acc-123");
        assertThat(config.token()).isEqualTo("s3cr3t-token-value");
        assertThat(config.groupName()).isEqualTo("ecs-prod");
        assertThat(config.profileName()).isEqualTo("Primary");
        assertThat(config.selectors()).isEmpty();
        assertThat(config.nameOverride()).isNull();
        assertThat(config.type()).isEqualTo(DelegateType.SHELL);
        assertThat(config.healthPort()).isEqualTo(8089);
        assertThat(config.capacity()).isEqualTo(8);
        assertThat(config.drainTimeout()).isEqualTo(Duration.ofSeconds(25));
        assertThat(config.logFormat()).isEqualTo(LogFormat.TEXT);
        assertThat(config.ecsMetadataUri()).isNull();
        assertThat(config.proxies().https()).isNull();
        assertThat(config.proxies().http()).isNull();
        assertThat(config.workDir())
                .isEqualTo(java.nio.file.Path.of(".opendelegate").toAbsolutePath());
        assertThat(config.allowScripts()).isTrue();
        assertThat(config.ecsPollInterval()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void theEcsPollIntervalIsADurationOfAtLeast100Milliseconds() throws Exception {
        Map<String, String> env = minimal();
        env.put("DELEGATE_ECS_POLL_INTERVAL", "200ms");
        assertThat(ConfigParser.parse(env).ecsPollInterval()).isEqualTo(Duration.ofMillis(200));
        assertThat(ConfigParser.parse(env).describe()).contains("DELEGATE_ECS_POLL_INTERVAL=200ms");
        env.put("DELEGATE_ECS_POLL_INTERVAL", "15s");
        assertThat(ConfigParser.parse(env).ecsPollInterval()).isEqualTo(Duration.ofSeconds(15));

        for (String wrong : List.of("50ms", "5", "2h", "fast")) {
            env.put("DELEGATE_ECS_POLL_INTERVAL", wrong);
            assertThat(problems(env))
                    .as(wrong)
                    .containsExactly("DELEGATE_ECS_POLL_INTERVAL '" + wrong + "' is not a duration from 100ms to 60s"
                            + " such as 5s or 200ms (how often an ECS deployment asks for its service's state); unset"
                            + " it for the default 5s");
        }
    }

    @Test
    void scriptsCanBeRefusedAndOnlyTrueOrFalseIsUnderstood() throws Exception {
        Map<String, String> env = minimal();
        env.put("DELEGATE_ALLOW_SCRIPTS", "FALSE");
        DelegateConfig config = ConfigParser.parse(env);
        assertThat(config.allowScripts()).isFalse();
        assertThat(config.describe()).contains("DELEGATE_ALLOW_SCRIPTS=false (shell.script not offered)");

        env.put("DELEGATE_ALLOW_SCRIPTS", "no");
        assertThat(problems(env))
                .containsExactly("DELEGATE_ALLOW_SCRIPTS 'no' is not true or false (whether this delegate runs"
                        + " shell.script tasks); unset it for the default true");
    }

    @Test
    void theWorkDirectoryMustBeAWritableDirectoryOrCreatableInOne(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path file = java.nio.file.Files.writeString(tmp.resolve("file"), "x");
        Map<String, String> env = minimal();
        env.put("DELEGATE_WORK_DIR", tmp.resolve("new/nested").toString());
        assertThat(ConfigParser.parse(env).workDir()).isEqualTo(tmp.resolve("new/nested"));
        assertThat(ConfigParser.parse(env).describe()).contains("DELEGATE_WORK_DIR=" + tmp.resolve("new/nested"));

        env.put("DELEGATE_WORK_DIR", file.resolve("below").toString());
        assertThatThrownBy(() -> ConfigParser.parse(env))
                .isInstanceOfSatisfying(
                        InvalidConfigException.class,
                        e -> assertThat(e.problems())
                                .singleElement()
                                .asString()
                                .startsWith("DELEGATE_WORK_DIR '")
                                .contains("is not a directory", "is a file", "writable directory"));
    }

    @Test
    void everyOptionalSettingIsRead() throws Exception {
        Map<String, String> env = minimal();
        env.put("MANAGER_URL", "http://10.0.0.5:8080/opendelegate/");
        env.put("MANAGER_ALLOW_INSECURE", "true");
        env.put("DELEGATE_PROFILE", "Install Tools");
        env.put("DELEGATE_SELECTORS", " ECS, aws-prod ,, ecs, eu.west_1 ");
        env.put("DELEGATE_NAME", "delegate-a");
        env.put("DELEGATE_TYPE", "docker");
        env.put("DELEGATE_HEALTH_PORT", "0");
        env.put("DELEGATE_CAPACITY", "256");
        env.put("DELEGATE_DRAIN_SECONDS", "0");
        env.put("DELEGATE_LOG_FORMAT", "JSON");
        env.put("ECS_CONTAINER_METADATA_URI_V4", "http://169.254.170.2/v4/abc");

        DelegateConfig config = ConfigParser.parse(env);

        assertThat(config.managerUrl()).isEqualTo(URI.create("http://10.0.0.5:8080/opendelegate"));
        assertThat(config.profileName()).isEqualTo("Install Tools");
        assertThat(config.selectors()).containsExactly("ecs", "aws-prod", "eu.west_1");
        assertThat(config.nameOverride()).isEqualTo("delegate-a");
        assertThat(config.type()).isEqualTo(DelegateType.DOCKER);
        assertThat(config.healthPort()).isZero();
        assertThat(config.capacity()).isEqualTo(256);
        assertThat(config.drainTimeout()).isZero();
        assertThat(config.logFormat()).isEqualTo(LogFormat.JSON);
        assertThat(config.ecsMetadataUri()).isEqualTo("http://169.254.170.2/v4/abc");
    }

    @Test
    void theTypeDefaultsToEcsInsideAnEcsTask() throws Exception {
        Map<String, String> env = minimal();
        env.put("ECS_CONTAINER_METADATA_URI_V4", "http://169.254.170.2/v4/abc");

        assertThat(ConfigParser.parse(env).type()).isEqualTo(DelegateType.ECS);
    }

    @Test
    void blankValuesCountAsUnset() throws Exception {
        Map<String, String> env = minimal();
        env.put("DELEGATE_PROFILE", "  ");
        env.put("DELEGATE_CAPACITY", "");
        env.put("DELEGATE_NAME", "");

        DelegateConfig config = ConfigParser.parse(env);

        assertThat(config.profileName()).isEqualTo("Primary");
        assertThat(config.capacity()).isEqualTo(8);
        assertThat(config.nameOverride()).isNull();
    }

    @Test
    void eachMissingRequiredSettingIsNamedWithWhatToDo() {
        List<String> problems = problems(new HashMap<>());

        assertThat(problems).hasSize(4);
        assertThat(problems.get(0)).startsWith("MANAGER_URL is not set: set it to");
        assertThat(problems.get(1)).startsWith("ACCOUNT_ID is not set: set it to the account id");
        assertThat(problems.get(2)).startsWith("DELEGATE_TOKEN is not set: create a delegate token");
        assertThat(problems.get(3)).startsWith("DELEGATE_GROUP_NAME is not set: name the delegate group");
    }

    @Test
    void eachInvalidValueGetsItsOwnClearLineAndAllAreReportedTogether() {
        Map<String, String> env = minimal();
        env.put("MANAGER_URL", "manager.example.com");
        env.put("ACCOUNT_ID", "acc 1");
        env.put("DELEGATE_GROUP_NAME", "-prod");
        env.put("DELEGATE_PROFILE", "x".repeat(65));
        env.put("DELEGATE_SELECTORS", "ok,Not Valid,_under");
        env.put("DELEGATE_NAME", "bad name");
        env.put("DELEGATE_TYPE", "kubernetes");
        env.put("DELEGATE_HEALTH_PORT", "70000");
        env.put("DELEGATE_CAPACITY", "0");
        env.put("DELEGATE_DRAIN_SECONDS", "soon");
        env.put("DELEGATE_LOG_FORMAT", "xml");
        env.put("HTTPS_PROXY", "https://proxy:3128");
        env.put("HTTP_PROXY", "ftp://proxy");

        List<String> problems = problems(env);

        assertThat(problems).hasSize(14);
        assertThat(problems)
                .anySatisfy(p -> assertThat(p)
                        .startsWith("MANAGER_URL 'manager.example.com' is not a"
                                + " valid Manager address: it needs http:// or https:// and a host"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("ACCOUNT_ID 'acc 1' contains spaces"));
        assertThat(problems)
                .anySatisfy(p -> assertThat(p)
                        .startsWith("DELEGATE_GROUP_NAME '-prod' is not a valid" + " group name: use 1-63 letters"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("DELEGATE_PROFILE 'xxx"));
        assertThat(problems)
                .anySatisfy(p ->
                        assertThat(p).startsWith("DELEGATE_SELECTORS entry 'Not Valid' is not a" + " valid selector"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("DELEGATE_SELECTORS entry '_under'"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("DELEGATE_NAME 'bad name' is not a valid"));
        assertThat(problems)
                .anySatisfy(p -> assertThat(p)
                        .startsWith(
                                "DELEGATE_TYPE 'kubernetes' is not a delegate" + " type: use ECS, SHELL or DOCKER"));
        assertThat(problems)
                .anySatisfy(p -> assertThat(p)
                        .startsWith("DELEGATE_HEALTH_PORT '70000' is not a whole" + " number from 0 to 65535"));
        assertThat(problems)
                .anySatisfy(p ->
                        assertThat(p).startsWith("DELEGATE_CAPACITY '0' is not a whole number" + " from 1 to 256"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("DELEGATE_DRAIN_SECONDS 'soon'"));
        assertThat(problems)
                .anySatisfy(p -> assertThat(p)
                        .startsWith("DELEGATE_LOG_FORMAT 'xml' is not a log format:" + " use text or json"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("HTTPS_PROXY uses https://"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("HTTP_PROXY 'ftp://proxy' is not a proxy URL"));
    }

    @Test
    void managerUrlsWithQueriesOrCredentialsAreRefused() {
        Map<String, String> env = minimal();
        env.put("MANAGER_URL", "https://user:pw@manager.example.com/?x=1");

        assertThat(problems(env))
                .singleElement()
                .asString()
                .contains("must not carry a query, a fragment or credentials");
    }

    @Test
    void aTokenWithWhitespaceIsRefusedWithoutShowingIt() {
        Map<String, String> env = minimal();
        env.put("DELEGATE_TOKEN", "abc def-secret");

        List<String> problems = problems(env);

        assertThat(problems).singleElement().asString().startsWith("DELEGATE_TOKEN contains spaces");
        assertThat(problems.get(0)).doesNotContain("def-secret");
    }

    @Test
    void theTokenIsMaskedInTheDescriptionAndInToString() throws Exception {
        DelegateConfig config = ConfigParser.parse(minimal());

        assertThat(config.describe()).contains("DELEGATE_TOKEN=******** (set, 18 characters)");
        assertThat(String.join("\n", config.describe())).doesNotContain("s3cr3t");
        assertThat(config.toString()).doesNotContain("s3cr3t");
    }

    @Test
    void proxyPasswordsAreMaskedInTheDescription() throws Exception {
        Map<String, String> env = minimal();
        env.put("https_proxy", "http://alice:hunter2@proxy.corp:3128");

        DelegateConfig config = ConfigParser.parse(env);

        assertThat(config.proxies().https().user()).isEqualTo("alice");
        assertThat(config.proxies().https().password()).isEqualTo("hunter2");
        assertThat(config.describe()).contains("HTTPS_PROXY=http://alice:****@proxy.corp:3128");
        assertThat(config.toString()).doesNotContain("hunter2");
    }
}
