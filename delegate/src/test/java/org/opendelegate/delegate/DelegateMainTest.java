package org.opendelegate.delegate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opendelegate.protocol.DelegateApiPaths;
import org.opendelegate.protocol.ProblemCodes;
import org.opendelegate.testkit.FakeManager;

/** The entry point's decisions: which exit code for which end, and what a person sees. */
class DelegateMainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        return DelegateMain.run(
                args,
                env,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static Map<String, String> validEnv() {
        return Map.of(
                "MANAGER_URL",
                "https://manager.example.com",
                "ACCOUNT_ID",
                "acc-1",
                "DELEGATE_TOKEN",
                "do-not-print-me",
                "DELEGATE_GROUP_NAME",
                "ecs-prod");
    }

    @Test
    void checkConfigPrintsTheEffectiveSettingsWithTheTokenMaskedAndExits0() {
        assertThat(run(validEnv(), "--check-config")).isZero();

        assertThat(out())
                .contains(
                        "The configuration is valid",
                        "MANAGER_URL=https://manager.example.com",
                        "DELEGATE_PROFILE=Primary",
                        "DELEGATE_TOKEN=******** (set, 15 characters)");
        assertThat(out() + err()).doesNotContain("do-not-print-me");
    }

    @Test
    void invalidSettingsPrintOneLinePerProblemWithoutAStackTraceAndExit2() {
        int code = run(Map.of("MANAGER_URL", "nope", "DELEGATE_CAPACITY", "many"), "--check-config");

        assertThat(code).isEqualTo(2);
        assertThat(err().lines())
                .filteredOn(l -> l.startsWith("Invalid setting: "))
                .hasSize(5);
        assertThat(err()).contains("Invalid setting: DELEGATE_CAPACITY 'many'").doesNotContain("Exception", "\tat ");
        assertThat(out()).isEmpty();
    }

    @Test
    void anUnknownArgumentShowsTheUsageAndExits2() {
        assertThat(run(validEnv(), "--frobnicate")).isEqualTo(2);

        assertThat(err()).contains("Unknown argument '--frobnicate'", DelegateMain.USAGE);
    }

    @Test
    void versionPrintsTheVersion() {
        assertThat(run(Map.of(), "--version")).isZero();

        assertThat(out()).startsWith("opendelegate-delegate ");
    }

    @Test
    void aTokenRefusedAtRegistrationExitsWith3() throws Exception {
        try (FakeManager manager = new FakeManager()) {
            manager.refuse(DelegateApiPaths.REGISTER, 401, ProblemCodes.UNAUTHORIZED, "this token was revoked");

            assertThat(run(RunningDelegate.env(manager))).isEqualTo(3);
        }
    }

    @Test
    void aRegistrationTheManagerFindsInvalidExitsWith2() throws Exception {
        try (FakeManager manager = new FakeManager()) {
            manager.refuse(DelegateApiPaths.REGISTER, 400, ProblemCodes.INVALID_REQUEST, "unknown profile");

            assertThat(run(RunningDelegate.env(manager))).isEqualTo(2);
        }
    }
}
