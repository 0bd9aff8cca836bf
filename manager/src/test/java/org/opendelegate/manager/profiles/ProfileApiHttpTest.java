package org.opendelegate.manager.profiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.security.Role;
import org.opendelegate.manager.store.AuditDao;
import org.opendelegate.manager.store.AuditEvent;
import org.opendelegate.manager.store.Database;
import org.opendelegate.manager.testing.TestManager;
import org.opendelegate.testkit.FakeDelegate;
import org.opendelegate.testkit.TestHttp;

/** Delegate profiles through the REST API and the delegate API, against a real Manager. */
class ProfileApiHttpTest {
    private static final String VIEWER_KEY = "odk_profile-viewer-key-0123456789";
    private static final String OTHER_KEY = "odk_profile-other-key-0123456789";
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static TestManager manager;
    private static TestHttp api;

    @BeforeAll
    static void start() {
        manager = TestManager.start();
        manager.seedAccount(TestManager.ACCOUNT_ID, VIEWER_KEY, Role.VIEWER, null);
        manager.seedAccount("acct-profile-other", OTHER_KEY, Role.ADMIN, null);
        api = manager.api();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    private static Map<String, Object> profile(String name, String script, boolean required, List<String> selectors) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("description", "prepares " + name);
        body.put("script", script);
        body.put("selectors", selectors);
        body.put("required", required);
        return body;
    }

    private static JsonNode create(Map<String, Object> body) {
        TestHttp.Response r = api.post("/api/v1/delegate-profiles", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json();
    }

    private static JsonNode listed(String delegateName) {
        for (JsonNode d : api.get("/api/v1/delegates").json().get("delegates")) {
            if (d.get("name").asText().equals(delegateName)) {
                return d;
            }
        }
        throw new AssertionError("no delegate " + delegateName);
    }

    @Test
    void primaryExistsAndEveryEditIsANewReadableVersionInTheAuditTrail() {
        JsonNode list = api.get("/api/v1/delegate-profiles").json().get("profiles");
        assertThat(list.findValuesAsText("name")).contains("Primary");

        JsonNode created = create(profile("Versioned", "echo one\r\n", true, List.of("Tools")));
        String id = created.get("id").asText();
        assertThat(created.get("version").asInt()).isEqualTo(1);
        assertThat(created.get("script").asText()).isEqualTo("echo one\n");
        assertThat(created.get("selectors").toString()).isEqualTo("[\"tools\"]");
        assertThat(created.get("timeoutSeconds").asInt()).isEqualTo(600);
        Map<String, Object> edit = profile("Versioned", "echo two\n", false, List.of());
        edit.put("baseVersion", 1);
        TestHttp.Response updated = api.put("/api/v1/delegate-profiles/" + id, edit);
        TestHttp.Response stale = api.put("/api/v1/delegate-profiles/" + id, edit);

        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        assertThat(updated.json().get("version").asInt()).isEqualTo(2);
        assertThat(updated.json().get("required").asBoolean()).isFalse();
        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.json().get("code").asText()).isEqualTo("PROFILE_EDITED");
        assertThat(stale.json().get("detail").asText()).contains("version 2");
        JsonNode versions =
                api.get("/api/v1/delegate-profiles/" + id + "/versions").json().get("versions");
        assertThat(versions.findValuesAsText("version")).containsExactly("2", "1");
        assertThat(versions.get(1).get("script").asText()).isEqualTo("echo one\n");
        assertThat(versions.get(0).get("createdBy").asText()).isEqualTo("api-key:bootstrap-admin");
        assertThat(api.get("/api/v1/delegate-profiles/" + id)
                        .json()
                        .get("script")
                        .asText())
                .isEqualTo("echo two\n");
        assertThat(audit(id))
                .extracting(AuditEvent::action)
                .containsExactly("delegate-profile.updated", "delegate-profile.created");
        assertThat(audit(id).get(0).detail()).contains("version 1 -> 2", "script", "required");
        assertThat(audit(id).get(0).actor()).isEqualTo("api-key:bootstrap-admin");

        assertThat(api.delete("/api/v1/delegate-profiles/" + id).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/delegate-profiles/" + id).status()).isEqualTo(404);
        assertThat(audit(id).get(0).action()).isEqualTo("delegate-profile.deleted");
    }

    @Test
    void badInputIsRefusedClearlyAndChangesNothing() {
        create(profile("Taken", "", true, List.of()));
        int before = api.get("/api/v1/delegate-profiles").json().get("profiles").size();

        TestHttp.Response empty = api.post("/api/v1/delegate-profiles", profile("  ", "", true, List.of()));
        TestHttp.Response duplicate = api.post("/api/v1/delegate-profiles", profile("Taken", "", true, List.of()));
        TestHttp.Response large =
                api.post("/api/v1/delegate-profiles", profile("Large", "x".repeat(64 * 1024 + 1), true, List.of()));
        TestHttp.Response badSelector =
                api.post("/api/v1/delegate-profiles", profile("Sel", "", true, List.of("Bad Selector!")));
        TestHttp.Response unknown = api.post("/api/v1/delegate-profiles", Map.of("name", "U", "shell", "zsh"));
        TestHttp.Response timeout = api.post("/api/v1/delegate-profiles", Map.of("name", "T", "timeoutSeconds", 0));
        TestHttp.Response longName = api.post("/api/v1/delegate-profiles", Map.of("name", "n".repeat(101)));
        TestHttp.Response notJson = api.postRaw("/api/v1/delegate-profiles", "text/plain", "name=x");

        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().get("errors").get(0).get("field").asText()).isEqualTo("name");
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.json().get("code").asText()).isEqualTo("PROFILE_NAME_TAKEN");
        assertThat(large.status()).isEqualTo(400);
        assertThat(large.json().get("detail").asText()).contains("`script`", "65537 bytes", "65536 bytes (64 KiB)");
        assertThat(badSelector.json().get("errors").get(0).get("field").asText())
                .isEqualTo("selectors[0]");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("detail").asText()).contains("`shell` is not a known field");
        assertThat(timeout.json().get("errors").get(0).get("field").asText()).isEqualTo("timeoutSeconds");
        assertThat(longName.json().get("detail").asText()).contains("101 characters");
        assertThat(notJson.status()).isEqualTo(415);
        assertThat(api.get("/api/v1/delegate-profiles").json().get("profiles").size())
                .isEqualTo(before);
    }

    @Test
    void aViewerCannotChangeProfilesAndAnotherAccountCannotSeeThem() {
        String id =
                create(profile("Guarded", "echo hi", true, List.of())).get("id").asText();
        String groupId = groupOf(manager.delegate("guard-1", "guarded"));
        TestHttp viewer = manager.api(VIEWER_KEY);
        TestHttp other = manager.api(OTHER_KEY);

        assertThat(viewer.get("/api/v1/delegate-profiles/" + id).status()).isEqualTo(200);
        assertThat(viewer.post("/api/v1/delegate-profiles", profile("V", "", true, List.of()))
                        .status())
                .isEqualTo(403);
        TestHttp.Response put =
                viewer.put("/api/v1/delegate-profiles/" + id, profile("Guarded", "rm -rf /", true, List.of()));
        assertThat(put.status()).isEqualTo(403);
        assertThat(put.json().get("detail").asText()).contains("admin role");
        assertThat(viewer.delete("/api/v1/delegate-profiles/" + id).status()).isEqualTo(403);
        assertThat(viewer.put("/api/v1/delegate-groups/" + groupId + "/profile", Map.of("profileId", id))
                        .status())
                .isEqualTo(403);
        for (TestHttp.Response r : List.of(
                other.get("/api/v1/delegate-profiles/" + id),
                other.get("/api/v1/delegate-profiles/" + id + "/versions"),
                other.put("/api/v1/delegate-profiles/" + id, profile("Guarded", "", true, List.of())),
                other.delete("/api/v1/delegate-profiles/" + id),
                other.put("/api/v1/delegate-groups/" + groupId + "/profile", Map.of("profileId", id)))) {
            assertThat(r.status()).as(r.toString()).isEqualTo(404);
        }
        assertThat(other.get("/api/v1/delegate-profiles").json().get("profiles").findValuesAsText("name"))
                .doesNotContain("Guarded");
        assertThat(api.get("/api/v1/delegate-profiles/" + id)
                        .json()
                        .get("version")
                        .asInt())
                .isEqualTo(1);
    }

    @Test
    void anUnknownProfileNameIsCreatedEmptyAtRegistrationAndShownOnTheDelegate() {
        FakeDelegate d = manager.delegate("agent-1", "agents").with("profileName", "Build Agents");
        TestHttp.Response registered = d.register();

        assertThat(registered.json().get("profile").get("name").asText()).isEqualTo("Build Agents");
        assertThat(registered.json().get("profile").get("script").asText()).isEmpty();
        assertThat(registered.json().get("profile").get("required").asBoolean()).isFalse();
        JsonNode profile = listed("agent-1").get("profile");
        assertThat(profile.get("name").asText()).isEqualTo("Build Agents");
        assertThat(profile.get("version").asInt()).isEqualTo(1);
        assertThat(profile.get("status").asText()).isEqualTo("PENDING");
        assertThat(profile.get("viaGroup").asBoolean()).isFalse();
        JsonNode created = byName("Build Agents");
        assertThat(created.get("usedBy").get("delegates"))
                .extracting(n -> n.get("name").asText())
                .containsExactly("agent-1");
        assertThat(audit(created.get("id").asText()).get(0).actor()).startsWith("delegate-token:");
        TestHttp.Response rename = api.put(
                "/api/v1/delegate-profiles/" + created.get("id").asText(), profile("Builders", "", false, List.of()));
        assertThat(rename.status()).isEqualTo(409);
        assertThat(rename.json().get("code").asText()).isEqualTo("PROFILE_CHOSEN_BY_NAME");
        TestHttp.Response renamePrimary = api.put(
                "/api/v1/delegate-profiles/" + byName("Primary").get("id").asText(),
                profile("Secondary", "", false, List.of()));
        assertThat(renamePrimary.status()).isEqualTo(400);
        assertThat(api.delete("/api/v1/delegate-profiles/"
                                + byName("Primary").get("id").asText())
                        .json()
                        .get("code")
                        .asText())
                .isEqualTo("PRIMARY_PROFILE");
    }

    @Test
    void aFailedRequiredProfileMakesTheDelegateIneligibleWithTheReasonUntilARunSucceeds() {
        JsonNode tools = create(profile("Build Tools", "exit 2", true, List.of("tools")));
        String id = tools.get("id").asText();
        FakeDelegate d = manager.delegate("builder-1", "builders");
        String groupId = groupOf(d);
        TestHttp.Response set = api.put("/api/v1/delegate-groups/" + groupId + "/profile", Map.of("profileId", id));
        assertThat(set.json().get("profileName").asText()).isEqualTo("Build Tools");

        JsonNode beat = d.heartbeat().json().get("profile");
        assertThat(beat.get("name").asText()).isEqualTo("Build Tools");
        assertThat(beat.get("script").asText()).isEqualTo("exit 2");
        assertThat(beat.get("timeoutMillis").asLong()).isEqualTo(600_000);
        // The delegate stays connected while the test works (2 s disconnect threshold in tests): on a loaded
        // machine the steps below took longer, and the task's error named the disconnection instead.
        d.keepAlive(Duration.ofMillis(300));
        JsonNode listed = listed("builder-1");
        assertThat(listed.get("profile").get("viaGroup").asBoolean()).isTrue();
        assertThat(listed.get("selectorDetails").toString())
                .contains("{\"value\":\"tools\",\"source\":\"PROFILE\",\"trust\":\"TRUSTED\"}");
        Instant started = Instant.now();
        assertThat(d.profileRun(id, 1, "r1", "RUNNING", null, started, 0, "installing")
                        .json()
                        .get("recorded")
                        .asBoolean())
                .isTrue();
        assertThat(d.heartbeat().json().get("profile").has("script"))
                .as("sent until a run was reported")
                .isFalse();
        assertThat(listed("builder-1").get("profile").get("status").asText()).isEqualTo("RUNNING");
        d.profileRun(id, 1, "r1", "FAILED", 2, started, 0, "installing", "no such file");

        JsonNode failed = listed("builder-1").get("profile");
        assertThat(failed.get("status").asText()).isEqualTo("FAILED");
        assertThat(failed.get("exitCode").asInt()).isEqualTo(2);
        assertThat(failed.get("finishedAt").asText()).isNotEmpty();
        assertThat(api.get("/api/v1/delegates/" + d.delegateId + "/profile-output")
                        .json()
                        .get("output")
                        .asText())
                .isEqualTo("installing\nno such file\n");
        String taskId = api.post(
                        "/api/v1/tasks", Map.of("type", "echo", "payload", Map.of(), "selectors", List.of("builders")))
                .json()
                .get("id")
                .asText();
        d.poll(1);
        await().atMost(WAIT)
                .until(() -> api.get("/api/v1/tasks/" + taskId)
                        .json()
                        .get("state")
                        .asText()
                        .equals("NOT_ASSIGNED"));
        assertThat(api.get("/api/v1/tasks/" + taskId).json().get("error").toString())
                .contains("profile `Build Tools` v1 failed (exit 2); not eligible until a run succeeds");

        d.heartbeat();
        d.profileRun(id, 1, "r2", "SUCCEEDED", 0, started.plusSeconds(5), 0, "ok");
        String second = api.post(
                        "/api/v1/tasks", Map.of("type", "echo", "payload", Map.of(), "selectors", List.of("tools")))
                .json()
                .get("id")
                .asText();
        assertThat(d.take().get("taskId").asText()).isEqualTo(second);
        d.close();
    }

    @Test
    void anOldRunFinishingAfterAnEditNeverOverwritesTheNewerRun() {
        JsonNode p = create(profile("Racing", "sleep 1", false, List.of()));
        String id = p.get("id").asText();
        FakeDelegate d = manager.delegate("racer-1", "racers");
        api.put("/api/v1/delegate-groups/" + groupOf(d) + "/profile", Map.of("profileId", id));
        Instant t0 = Instant.now();
        d.profileRun(id, 1, "r1", "RUNNING", null, t0, 0, "v1 started");
        api.put("/api/v1/delegate-profiles/" + id, profile("Racing", "sleep 2", false, List.of()));
        assertThat(d.heartbeat().json().get("profile").get("version").asInt()).isEqualTo(2);
        assertThat(listed("racer-1").get("profile").get("status").asText()).isEqualTo("PENDING");

        assertThat(d.profileRun(id, 2, "r2", "RUNNING", null, t0.plusSeconds(2), 0, "v2 started")
                        .json()
                        .get("recorded")
                        .asBoolean())
                .isTrue();
        assertThat(d.profileRun(id, 1, "r1", "FAILED", 1, t0, 1, "v1 failed late")
                        .json()
                        .get("recorded")
                        .asBoolean())
                .isFalse();
        assertThat(d.profileRun(id, 2, "r0", "FAILED", 1, t0.plusSeconds(1), 0, "older run of v2")
                        .json()
                        .get("recorded")
                        .asBoolean())
                .isFalse();
        d.profileRun(id, 2, "r2", "RUNNING", null, t0.plusSeconds(2), 0, "v2 started", "v2 again");
        d.profileRun(id, 2, "r2", "SUCCEEDED", 0, t0.plusSeconds(2), 2, "v2 done");

        JsonNode profile = listed("racer-1").get("profile");
        assertThat(profile.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(profile.get("version").asInt()).isEqualTo(2);
        assertThat(api.get("/api/v1/delegates/" + d.delegateId + "/profile-output")
                        .json()
                        .get("output")
                        .asText())
                .as("a report sent twice adds its lines once")
                .isEqualTo("v2 started\nv2 again\nv2 done\n");
    }

    @Test
    void theOutputKeepsTheLast64KiBAndBadReportsAreRefused() {
        FakeDelegate d = manager.delegate("chatty-1", "chatty");
        d.register();
        String primary = byName("Primary").get("id").asText();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            lines.add(i + " " + "z".repeat(100));
        }
        Instant t0 = Instant.now();
        d.profileRun(primary, 1, "big", "RUNNING", null, t0, 0, lines.toArray(String[]::new));
        d.profileRun(primary, 1, "big", "SUCCEEDED", 0, t0, 1000, "the end");

        String output = api.get("/api/v1/delegates/" + d.delegateId + "/profile-output")
                .json()
                .get("output")
                .asText();
        assertThat(output.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(65_536)
                .isGreaterThan(60_000);
        assertThat(output).endsWith("999 " + "z".repeat(100) + "\nthe end\n").doesNotStartWith("0 ");
        assertThat(output.split("\n")[0]).matches("\\d+ z+");
        TestHttp.Response bad = d.http()
                .post(
                        "/api/delegate/v1/profile-run",
                        Map.of(
                                "delegateId",
                                d.delegateId,
                                "sessionId",
                                d.sessionId,
                                "profileId",
                                primary,
                                "version",
                                1,
                                "runId",
                                "",
                                "status",
                                "DONE",
                                "firstLine",
                                0,
                                "lines",
                                List.of()));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("detail").asText()).contains("`status`", "RUNNING");
        TestHttp.Response wrongSession = d.http()
                .post(
                        "/api/delegate/v1/profile-run",
                        Map.of(
                                "delegateId",
                                d.delegateId,
                                "sessionId",
                                "nope",
                                "profileId",
                                primary,
                                "version",
                                1,
                                "runId",
                                "x",
                                "status",
                                "RUNNING",
                                "startedAt",
                                t0.toString(),
                                "firstLine",
                                0,
                                "lines",
                                List.of()));
        // The session credential names another session than the body: refused (protocol 2).
        assertThat(wrongSession.status()).isEqualTo(403);
        assertThat(wrongSession.json().get("code").asText()).isEqualTo("SESSION_INVALID");
        assertThat(api.get("/api/v1/delegates/nope/profile-output").status()).isEqualTo(404);
        assertThat(manager.api(OTHER_KEY)
                        .get("/api/v1/delegates/" + d.delegateId + "/profile-output")
                        .status())
                .isEqualTo(404);
    }

    @Test
    void aProfileInUseCannotBeDeletedAndTheRefusalNamesTheUsers() {
        String id = create(profile("In Use", "", false, List.of())).get("id").asText();
        FakeDelegate d = manager.delegate("user-1", "users-group");
        String groupId = groupOf(d);
        api.put("/api/v1/delegate-groups/" + groupId + "/profile", Map.of("profileId", id));

        TestHttp.Response refused = api.delete("/api/v1/delegate-profiles/" + id);

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("detail").asText()).contains("group `users-group`", "delegate `user-1`");
        TestHttp.Response unknown =
                api.put("/api/v1/delegate-groups/" + groupId + "/profile", Map.of("profileId", "no-such-profile"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("errors").get(0).get("field").asText()).isEqualTo("profileId");
        Map<String, Object> clear = new HashMap<>();
        clear.put("profileId", null);
        assertThat(api.put("/api/v1/delegate-groups/" + groupId + "/profile", clear)
                        .json()
                        .has("profileId"))
                .isFalse();
        assertThat(d.heartbeat().json().get("profile").get("name").asText()).isEqualTo("Primary");
        assertThat(listed("user-1").get("profile").get("name").asText()).isEqualTo("Primary");
        assertThat(api.delete("/api/v1/delegate-profiles/" + id).status()).isEqualTo(204);
    }

    private static String groupOf(FakeDelegate d) {
        TestHttp.Response r = d.register();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("groupId").asText();
    }

    private static JsonNode byName(String name) {
        for (JsonNode p : api.get("/api/v1/delegate-profiles").json().get("profiles")) {
            if (p.get("name").asText().equals(name)) {
                return p;
            }
        }
        throw new AssertionError("no profile " + name);
    }

    private static List<AuditEvent> audit(String profileId) {
        try (Database db = Database.open(manager.server().config().store())) {
            return new AuditDao(db.jdbi()).listFor(TestManager.ACCOUNT_ID, "delegate-profile", profileId, 10);
        }
    }
}
