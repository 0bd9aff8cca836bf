package org.opendelegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opendelegate.e2e.support.Api;
import org.opendelegate.e2e.support.DelegateProcess;
import org.opendelegate.e2e.support.ManagerProcess;

/** Delegate profiles with the built Manager and real delegate processes running real bash scripts. */
class DelegateProfilesE2ETest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<AutoCloseable> RUNNING = new ArrayList<>();
    private static Path work;
    private static ManagerProcess manager;
    private static Api api;

    @BeforeAll
    static void start() {
        work = Path.of(System.getProperty("opendelegate.workDir", "target/e2e-work"))
                .resolve("profiles-" + UUID.randomUUID().toString().substring(0, 8));
        manager = track(ManagerProcess.start(
                "manager", work.resolve("data"), 0, Map.of("OPENDELEGATE_NO_ELIGIBLE_WAIT", "2s")));
        api = manager.api();
    }

    @AfterAll
    static void stop() throws Exception {
        for (int i = RUNNING.size() - 1; i >= 0; i--) {
            RUNNING.get(i).close();
        }
    }

    private static <T extends AutoCloseable> T track(T closeable) {
        RUNNING.add(closeable);
        return closeable;
    }

    private static String createProfile(
            String name, String script, boolean required, List<String> selectors, int timeoutSeconds) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("script", script);
        body.put("required", required);
        body.put("selectors", selectors);
        body.put("timeoutSeconds", timeoutSeconds);
        Api.Response r = api.post("/api/v1/delegate-profiles", body);
        assertThat(r.status()).as(r.json().toString()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    private static DelegateProcess delegate(String name, String group, Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.put("DELEGATE_NAME", name);
        all.put("DELEGATE_WORK_DIR", work.resolve(name).toString());
        DelegateProcess d = track(DelegateProcess.start(name, manager, group, all, work));
        d.awaitConnected();
        return d;
    }

    private static JsonNode profileOf(String delegateName) {
        JsonNode d = api.delegate(delegateName);
        return d == null ? null : d.get("profile");
    }

    private static boolean hasStatus(String delegateName, int version, String status) {
        JsonNode p = profileOf(delegateName);
        return p != null
                && p.path("version").asInt() == version
                && p.path("status").asText().equals(status);
    }

    private static Path dirOf(String delegateName, String profileId, int version) {
        return work.resolve(delegateName).resolve("profiles").resolve(profileId).resolve("v" + version);
    }

    @Test
    void aProfileThatWritesAFileRunsBeforeTheFirstTaskAndAddsItsSelectors() throws Exception {
        // Optional, so the Manager would hand the task over at once: only the delegate's own gate holds it back.
        String id = createProfile(
                "Marker", "sleep 1\ndate +%s%3N > marker.txt\necho prepared\n", false, List.of("gpu"), 60);

        delegate("marker-1", "markers", Map.of("DELEGATE_PROFILE", "Marker"));
        String task = api.submit(
                Map.of("type", "echo", "payload", Map.of("n", 1), "selectors", List.of("gpu"), "timeoutSeconds", 60));

        await().atMost(WAIT).until(() -> api.task(task).get("state").asText().equals("SUCCEEDED"));
        long markerWritten = Long.parseLong(
                Files.readString(dirOf("marker-1", id, 1).resolve("marker.txt")).trim());
        Instant taskStarted = Instant.parse(api.task(task).get("startedAt").asText());
        assertThat(taskStarted.toEpochMilli())
                .as("the task started after the profile wrote its file")
                .isGreaterThanOrEqualTo(markerWritten);
        JsonNode profile = profileOf("marker-1");
        assertThat(profile.get("name").asText()).isEqualTo("Marker");
        assertThat(profile.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(Instant.parse(profile.get("finishedAt").asText())).isBeforeOrEqualTo(taskStarted);
        JsonNode selectors = api.delegate("marker-1").get("selectorDetails");
        assertThat(selectors.toString())
                .contains("{\"value\":\"gpu\",\"source\":\"PROFILE\",\"trust\":\"SELF_DECLARED\"}");
        assertThat(api.get("/api/v1/delegates/"
                                + api.delegate("marker-1").get("id").asText() + "/profile-output")
                        .json()
                        .get("output")
                        .asText())
                .isEqualTo("prepared\n");
    }

    @Test
    void editingAGroupsProfileRerunsItOnEveryMember() {
        String id = createProfile("Fleet Tools", "echo v1\n", true, List.of(), 60);
        delegate("fleet-1", "fleet", Map.of());
        delegate("fleet-2", "fleet", Map.of());
        String groupId = api.delegate("fleet-1").get("groupId").asText();
        assertThat(api.put("/api/v1/delegate-groups/" + groupId + "/profile", Map.of("profileId", id))
                        .status())
                .isEqualTo(200);
        await().atMost(WAIT).until(() -> hasStatus("fleet-1", 1, "SUCCEEDED") && hasStatus("fleet-2", 1, "SUCCEEDED"));

        Map<String, Object> edit =
                new HashMap<>(Map.of("name", "Fleet Tools", "script", "echo v2 on $(hostname)\n", "required", true));
        assertThat(api.put("/api/v1/delegate-profiles/" + id, edit)
                        .json()
                        .get("version")
                        .asInt())
                .isEqualTo(2);

        await().atMost(WAIT).until(() -> hasStatus("fleet-1", 2, "SUCCEEDED") && hasStatus("fleet-2", 2, "SUCCEEDED"));
        for (String name : List.of("fleet-1", "fleet-2")) {
            String output = api.get(
                            "/api/v1/delegates/" + api.delegate(name).get("id").asText() + "/profile-output")
                    .json()
                    .get("output")
                    .asText();
            assertThat(output).startsWith("v2 on ");
        }
    }

    @Test
    void aFailingRequiredProfileMakesTheDelegateIneligibleAndAnOptionalOneDoesNot() {
        String id = createProfile(
                "Broken", "echo 'installing tools'\necho 'tool not found' >&2\nexit 2\n", true, List.of(), 60);
        delegate("broken-1", "broken", Map.of("DELEGATE_PROFILE", "Broken"));
        await().atMost(WAIT).until(() -> hasStatus("broken-1", 1, "FAILED"));
        JsonNode profile = profileOf("broken-1");
        assertThat(profile.get("exitCode").asInt()).isEqualTo(2);
        String delegateId = api.delegate("broken-1").get("id").asText();
        assertThat(api.get("/api/v1/delegates/" + delegateId + "/profile-output")
                        .json()
                        .get("output")
                        .asText())
                .isEqualTo("installing tools\ntool not found\n");

        String refused = api.submit(Map.of("type", "echo", "payload", Map.of(), "selectors", List.of("broken")));
        await().atMost(WAIT).until(() -> api.task(refused).get("state").asText().equals("NOT_ASSIGNED"));
        assertThat(api.task(refused).get("error").get("message").asText())
                .contains("profile `Broken` v1 failed (exit 2); not eligible until a run succeeds");

        Map<String, Object> optional =
                new HashMap<>(Map.of("name", "Broken", "script", "echo 'still broken'\nexit 2\n", "required", false));
        api.put("/api/v1/delegate-profiles/" + id, optional);
        await().atMost(WAIT).until(() -> hasStatus("broken-1", 2, "FAILED"));
        String accepted = api.submit(Map.of("type", "echo", "payload", Map.of(), "selectors", List.of("broken")));
        await().atMost(WAIT)
                .until(() -> api.task(accepted).get("state").asText().equals("SUCCEEDED"));
    }

    @Test
    void aScriptThatSleepsPastItsTimeoutIsKilledWithItsChildren() throws Exception {
        String id =
                createProfile("Slow", "sleep 300 &\necho $! > child.pid\necho waiting\nwait\n", false, List.of(), 2);
        delegate("slow-1", "slow", Map.of("DELEGATE_PROFILE", "Slow"));

        await().atMost(WAIT).until(() -> hasStatus("slow-1", 1, "TIMED_OUT"));
        long child = Long.parseLong(
                Files.readString(dirOf("slow-1", id, 1).resolve("child.pid")).trim());
        await().atMost(WAIT)
                .until(() -> ProcessHandle.of(child).map(p -> !p.isAlive()).orElse(true));
        String output = api.get(
                        "/api/v1/delegates/" + api.delegate("slow-1").get("id").asText() + "/profile-output")
                .json()
                .get("output")
                .asText();
        assertThat(output).startsWith("waiting\n").contains("timeout of 2 s", "killed");
        assertThat(profileOf("slow-1").has("exitCode")).isFalse();
    }
}
