package org.opendelegate.manager.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.opendelegate.protocol.Problem;

/** Each rule of a {@code shell.script} payload: a valid payload passes, and each bad field is named with why. */
class ShellScriptRulesTest {

    @Test
    void aCompletePayloadIsValid() {
        ObjectNode p = valid();
        p.put("shell", "sh");
        p.putObject("env").put("DEPLOY_ENV", "prod").put("_x1", "");
        p.putObject("secrets")
                .put("DB_PASSWORD", "secret:db-password")
                .put(
                        "API_TOKEN",
                        "aws-secretsmanager:arn:aws:secretsmanager:eu-west-1:123456789012:secret:api-Ab12#token")
                .put("BY_NAME", "aws-secretsmanager:prod/api")
                .put("PARAM", "aws-ssm:/prod/app/param");
        p.put("workingDirectory", "app/build");
        p.put("cancelGraceSeconds", 300);

        assertThat(ShellScriptRules.check(p)).isEmpty();
    }

    @Test
    void theScriptIsRequiredAndAtMost256KiB() {
        assertThat(errors(p -> p.remove("script")))
                .singleElement()
                .asString()
                .startsWith("payload.script: is required");
        assertThat(errors(p -> p.put("script", "  \n")))
                .singleElement()
                .asString()
                .startsWith("payload.script: is required");
        assertThat(errors(p -> p.put("script", 42)))
                .singleElement()
                .asString()
                .startsWith("payload.script: is required");
        assertThat(errors(p -> p.put("script", "x".repeat(ShellScriptRules.MAX_SCRIPT_BYTES))))
                .isEmpty();
        assertThat(errors(p -> p.put("script", "x".repeat(ShellScriptRules.MAX_SCRIPT_BYTES + 1))))
                .singleElement()
                .asString()
                .startsWith("payload.script: has 262145 bytes");
        // Counted in UTF-8 bytes, as the delegate writes the file: 3 bytes per character here.
        assertThat(errors(p -> p.put("script", "€".repeat(ShellScriptRules.MAX_SCRIPT_BYTES / 3 + 1))))
                .singleElement()
                .asString()
                .startsWith("payload.script: has 262146 bytes");
    }

    @Test
    void theShellIsBashOrSh() {
        assertThat(errors(p -> p.put("shell", "bash"))).isEmpty();
        assertThat(errors(p -> p.put("shell", "zsh")))
                .singleElement()
                .asString()
                .startsWith("payload.shell: (\"zsh\") must be \"bash\"");
        assertThat(errors(p -> p.put("shell", 1))).singleElement().asString().startsWith("payload.shell: (1) must be");
    }

    @Test
    void envNamesValuesCountAndSizeAreChecked() {
        assertThat(errors(p -> p.putObject("env").put("1BAD", "v")))
                .singleElement()
                .asString()
                .startsWith("payload.env.1BAD: is not a usable environment variable name");
        assertThat(errors(p -> p.putObject("env").put("A-B", "v")))
                .singleElement()
                .asString()
                .startsWith("payload.env.A-B: is not a usable environment variable name");
        assertThat(errors(p -> p.putObject("env").put("N", 5)))
                .singleElement()
                .asString()
                .startsWith("payload.env.N: must be a string");
        assertThat(errors(p -> p.put("env", "A=b")))
                .singleElement()
                .asString()
                .startsWith("payload.env: must be an object");
        assertThat(errors(p -> p.putObject("env").put("BIG", "x".repeat(ShellScriptRules.MAX_VALUE_BYTES + 1))))
                .singleElement()
                .asString()
                .startsWith("payload.env.BIG: is longer than 32768 bytes");
        assertThat(errors(p -> {
                    ObjectNode env = p.putObject("env");
                    for (int i = 0; i <= ShellScriptRules.MAX_VARIABLES; i++) {
                        env.put("V" + i, "v");
                    }
                }))
                .singleElement()
                .asString()
                .startsWith("payload.env: has 101 variables; at most 100");
        assertThat(errors(p -> {
                    ObjectNode env = p.putObject("env");
                    for (int i = 0; i < 5; i++) {
                        env.put("V" + i, "x".repeat(30_000));
                    }
                }))
                .singleElement()
                .asString()
                .startsWith("payload.env: has 150010 bytes of names and values; at most 131072");
    }

    @Test
    void reservedNamesAreRefusedInEnvAndSecrets() {
        assertThat(errors(p -> p.putObject("env").put("OPENDELEGATE_OUTPUT", "/tmp/x")))
                .singleElement()
                .asString()
                .startsWith("payload.env.OPENDELEGATE_OUTPUT: starts with OPENDELEGATE_");
        assertThat(errors(p -> p.putObject("secrets").put("DELEGATE_TOKEN", "secret:x")))
                .singleElement()
                .asString()
                .startsWith("payload.secrets.DELEGATE_TOKEN: starts with DELEGATE_");
        assertThat(errors(p -> p.putObject("env").put("delegate_token", "x")))
                .singleElement()
                .asString()
                .startsWith("payload.env.delegate_token: starts with DELEGATE_");
        assertThat(errors(p -> p.putObject("env").put("MY_DELEGATE_TOKEN", "x")))
                .isEmpty();
    }

    @Test
    void secretValuesMustBeOneOfTheThreeReferenceFormsNamingTheKey() {
        assertThat(errors(p -> p.putObject("secrets").put("DB", "hunter2")))
                .singleElement()
                .asString()
                .startsWith("payload.secrets.DB: is not a secret reference; write `secret:NAME`");
        assertThat(errors(p -> p.putObject("secrets").put("DB", "secret:")))
                .singleElement()
                .asString()
                .startsWith("payload.secrets.DB: is not a secret reference");
        assertThat(errors(p -> p.putObject("secrets").put("DB", "aws-ssm:")))
                .singleElement()
                .asString()
                .startsWith("payload.secrets.DB: is not a secret reference");
        assertThat(errors(p -> p.putObject("secrets").put("DB", "aws-secretsmanager:name with space")))
                .singleElement()
                .asString()
                .startsWith("payload.secrets.DB: is not a secret reference");
        assertThat(errors(p -> p.putObject("secrets").put("DB", "vault:kv/db")))
                .singleElement()
                .asString()
                .startsWith("payload.secrets.DB: is not a secret reference");
        assertThat(errors(p -> p.putObject("secrets").put("DB", 7)))
                .singleElement()
                .asString()
                .startsWith("payload.secrets.DB: must be a string");
    }

    @Test
    void aVariableIsSetInEnvOrSecretsNotBoth() {
        assertThat(errors(p -> {
                    p.putObject("env").put("DB", "x");
                    p.putObject("secrets").put("DB", "secret:db");
                }))
                .singleElement()
                .asString()
                .startsWith("payload.secrets.DB: is also set in `env`");
    }

    @Test
    void theWorkingDirectoryStaysInsideTheTasksOwnDirectory() {
        assertThat(errors(p -> p.put("workingDirectory", "a/b/c"))).isEmpty();
        assertThat(errors(p -> p.put("workingDirectory", "/etc")))
                .singleElement()
                .asString()
                .startsWith("payload.workingDirectory: (\"/etc\") must be relative");
        assertThat(errors(p -> p.put("workingDirectory", "~/x")))
                .singleElement()
                .asString()
                .startsWith("payload.workingDirectory: (\"~/x\") must be relative");
        assertThat(errors(p -> p.put("workingDirectory", "a/../../b")))
                .singleElement()
                .asString()
                .startsWith("payload.workingDirectory: (\"a/../../b\") must not contain '..'");
        assertThat(errors(p -> p.put("workingDirectory", "..")))
                .singleElement()
                .asString()
                .startsWith("payload.workingDirectory: (\"..\") must not contain '..'");
        assertThat(errors(p -> p.put("workingDirectory", "a\\..\\b")))
                .singleElement()
                .asString()
                .startsWith("payload.workingDirectory: must not contain control characters or backslashes");
        assertThat(errors(p -> p.put("workingDirectory", "")))
                .singleElement()
                .asString()
                .startsWith("payload.workingDirectory: must be a relative path");
        assertThat(errors(p -> p.put("workingDirectory", 3)))
                .singleElement()
                .asString()
                .startsWith("payload.workingDirectory: must be a relative path");
    }

    @Test
    void theCancelGraceIsZeroTo300Seconds() {
        assertThat(errors(p -> p.put("cancelGraceSeconds", 0))).isEmpty();
        assertThat(errors(p -> p.put("cancelGraceSeconds", 301)))
                .singleElement()
                .asString()
                .startsWith("payload.cancelGraceSeconds: (301) must be a whole number of seconds from 0 to 300");
        assertThat(errors(p -> p.put("cancelGraceSeconds", -1)))
                .singleElement()
                .asString()
                .startsWith("payload.cancelGraceSeconds: (-1) must be");
        assertThat(errors(p -> p.put("cancelGraceSeconds", 1.5)))
                .singleElement()
                .asString()
                .startsWith("payload.cancelGraceSeconds: (1.5) must be");
        assertThat(errors(p -> p.put("cancelGraceSeconds", "10")))
                .singleElement()
                .asString()
                .startsWith("payload.cancelGraceSeconds: (\"10\") must be");
    }

    @Test
    void anUnknownFieldIsNamedSoThatATypoIsNotSilentlyIgnored() {
        assertThat(errors(p -> p.put("timeout", 10)))
                .singleElement()
                .asString()
                .startsWith("payload.timeout: is not a field of a shell.script payload");
    }

    /** Each error as "field: message"; the tests check how the one expected error starts. */
    private static List<String> errors(Consumer<ObjectNode> change) {
        ObjectNode p = valid();
        change.accept(p);
        return ShellScriptRules.check(p).stream()
                .map(ShellScriptRulesTest::line)
                .toList();
    }

    private static String line(Problem.FieldError e) {
        return e.field() + ": " + e.message();
    }

    private static ObjectNode valid() {
        return JsonNodeFactory.instance.objectNode().put("script", "echo hello");
    }
}
