package org.opendelegate.manager.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.security.Role;
import org.opendelegate.manager.store.Database;
import org.opendelegate.manager.testing.TestManager;
import org.opendelegate.testkit.FakeDelegate;
import org.opendelegate.testkit.TestHttp;

/**
 * The secret store over HTTP against a real Manager: the value is write-only (no answer, audit line or stored
 * column carries it), names and values follow their rules, viewers only read, accounts never see each other's
 * secrets, and a task's {@code secret:NAME} references reach the delegate's assignment as values while the
 * payload keeps the references; an unknown secret refuses the task.
 */
class SecretsHttpTest {
    private static final String VIEWER_KEY = "odk_secrets-viewer-key-0123456789";
    private static final String OTHER_KEY = "odk_secrets-other-account-0123456789";
    private static TestManager manager;
    private static TestHttp api;
    private static FakeDelegate delegate;

    @BeforeAll
    static void start() {
        manager = TestManager.start(Map.of());
        manager.seedAccount(TestManager.ACCOUNT_ID, VIEWER_KEY, Role.VIEWER, null);
        manager.seedAccount("acct-other", OTHER_KEY, Role.ADMIN, null);
        api = manager.api();
        delegate = manager.delegate("secrets-1", "secrets-group");
        assertThat(delegate.register().status()).isEqualTo(200);
        delegate.keepAlive(java.time.Duration.ofMillis(300));
    }

    @AfterAll
    static void stop() {
        delegate.close();
        manager.close();
    }

    private static String unique(String prefix) {
        return prefix + "-" + System.nanoTime();
    }

    private static TestHttp.Response create(TestHttp http, String name, String value) {
        return http.post("/api/v1/secrets", Map.of("name", name, "description", "for tests", "value", value));
    }

    @Test
    void aSecretIsCreatedListedReadUpdatedAndDeletedAndItsValueIsNeverReturnedLoggedOrStoredInTheClear() {
        String name = unique("db-password");
        String first = "first-Value-7f3a9c";
        String second = "second-Value-2b8e1d";

        TestHttp.Response created = create(api, name, first);
        TestHttp.Response updated = api.put("/api/v1/secrets/" + name, Map.of("value", second));
        TestHttp.Response described = api.put("/api/v1/secrets/" + name, Map.of("description", "rotated"));
        TestHttp.Response one = api.get("/api/v1/secrets/" + name);
        TestHttp.Response list = manager.api(VIEWER_KEY).get("/api/v1/secrets");

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo("/api/v1/secrets/" + name);
        assertThat(created.json().get("version").asInt()).isEqualTo(1);
        assertThat(updated.json().get("version").asInt()).isEqualTo(2);
        assertThat(described.json().get("version").asInt())
                .as("a description alone is no new version")
                .isEqualTo(2);
        assertThat(one.json().get("description").asText()).isEqualTo("rotated");
        assertThat(one.json().get("versions").findValuesAsText("version")).containsExactly("2", "1");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().get("secrets").findValuesAsText("name")).contains(name);
        String answers = created.body() + updated.body() + described.body() + one.body() + list.body();
        assertThat(answers).doesNotContain(first).doesNotContain(second).doesNotContain("\"value\"");
        try (Database db = Database.open(manager.server().config().store())) {
            String stored = column(db, "SELECT sealed_value FROM account_secret_version");
            String audit = column(db, "SELECT action || ' ' || detail FROM audit_event WHERE target_type = 'secret'");
            assertThat(stored).startsWith("v1:").doesNotContain(first).doesNotContain(second);
            assertThat(audit)
                    .contains("secret.created name=" + name, "secret.updated name=" + name + " version=2")
                    .doesNotContain(first)
                    .doesNotContain(second);
        }

        assertThat(api.delete("/api/v1/secrets/" + name).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/secrets/" + name).status()).isEqualTo(404);
        assertThat(api.delete("/api/v1/secrets/" + name).status()).isEqualTo(404);
    }

    private static String column(Database db, String sql) {
        List<String> rows =
                db.jdbi().withHandle(h -> h.createQuery(sql).mapTo(String.class).list());
        return String.join("\n", rows);
    }

    @Test
    void badNamesValuesAndDescriptionsAreRefusedNamingTheFieldAndNothingIsCreated() {
        String tooLong = "x".repeat(129);
        TestHttp.Response badName = create(api, "has space", "v");
        TestHttp.Response longName = create(api, tooLong, "v");
        TestHttp.Response noValue = api.post("/api/v1/secrets", Map.of("name", unique("no-value")));
        TestHttp.Response emptyValue = create(api, unique("empty"), "");
        TestHttp.Response hugeValue = create(api, unique("huge"), "v".repeat(64 * 1024 + 1));
        TestHttp.Response nul = create(api, unique("nul"), "a\u0000b");
        TestHttp.Response longDescription = api.post(
                "/api/v1/secrets", Map.of("name", unique("desc"), "value", "v", "description", "d".repeat(1001)));
        TestHttp.Response nothingToChange = api.put("/api/v1/secrets/whatever", Map.of());
        TestHttp.Response malformed = api.postRaw("/api/v1/secrets", "application/json", "{\"name\":");

        assertField(badName, "name", "not a valid secret name");
        assertField(longName, "name", "1 to 128");
        assertField(noValue, "value", "is required");
        assertField(emptyValue, "value", "is empty");
        assertField(hugeValue, "value", "at most 65536 bytes");
        assertField(nul, "value", "U+0000");
        assertField(longDescription, "description", "at most 1000");
        assertThat(nothingToChange.status()).isEqualTo(404);
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(create(api, "ok_Name.1-2", "v").status())
                .as("every allowed character")
                .isEqualTo(201);
        assertThat(api.get("/api/v1/secrets").json().get("secrets").findValuesAsText("name"))
                .noneMatch(n -> n.startsWith("no-value")
                        || n.startsWith("empty")
                        || n.startsWith("huge")
                        || n.startsWith("nul")
                        || n.startsWith("desc")
                        || n.equals("has space"));
    }

    private static void assertField(TestHttp.Response r, String field, String says) {
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.json().get("errors").get(0).get("field").asText()).isEqualTo(field);
        assertThat(r.json().get("errors").get(0).get("message").asText()).contains(says);
    }

    @Test
    void aViewerReadsMetadataButCannotCreateChangeOrDelete() {
        String name = unique("viewer-sees");
        assertThat(create(api, name, "admin-value-1").status()).isEqualTo(201);
        TestHttp viewer = manager.api(VIEWER_KEY);

        TestHttp.Response created = create(viewer, unique("viewer-made"), "v");
        TestHttp.Response changed = viewer.put("/api/v1/secrets/" + name, Map.of("value", "viewer-value"));
        TestHttp.Response deleted = viewer.delete("/api/v1/secrets/" + name);
        TestHttp.Response read = viewer.get("/api/v1/secrets/" + name);

        assertThat(List.of(created.status(), changed.status(), deleted.status()))
                .containsOnly(403);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().get("version").asInt())
                .as("the viewer changed nothing")
                .isEqualTo(1);
    }

    @Test
    void anotherAccountNeitherSeesNorUsesASecretAndKeepsItsOwnOfTheSameName() {
        String shared = unique("shared");
        String onlyHere = unique("only-here");
        TestHttp other = manager.api(OTHER_KEY);
        assertThat(create(other, shared, "other-account-value").status()).isEqualTo(201);
        assertThat(create(api, shared, "this-account-value").status()).isEqualTo(201);
        assertThat(create(api, onlyHere, "mine").status()).isEqualTo(201);

        TestHttp.Response read = other.get("/api/v1/secrets/" + onlyHere);
        TestHttp.Response change = other.put("/api/v1/secrets/" + onlyHere, Map.of("value", "stolen"));
        TestHttp.Response delete = other.delete("/api/v1/secrets/" + onlyHere);
        TestHttp.Response use = other.post(
                "/api/v1/tasks",
                Map.of("type", "echo", "payload", Map.of("secrets", Map.of("X", "secret:" + onlyHere))));
        JsonNode assignment = submitAndTake(Map.of("SHARED", "secret:" + shared));

        assertThat(List.of(read.status(), change.status(), delete.status())).containsOnly(404);
        assertThat(use.status()).as(use.toString()).isEqualTo(422);
        assertThat(other.get("/api/v1/secrets").json().get("secrets").findValuesAsText("name"))
                .contains(shared)
                .doesNotContain(onlyHere);
        assertThat(assignment.get("secrets").get("SHARED").asText()).isEqualTo("this-account-value");
    }

    private static void finish(JsonNode assignment) {
        delegate.succeed(
                assignment.get("taskId").asText(),
                assignment.get("fencingToken").asLong(),
                Map.of("ok", true));
    }

    @Test
    void aTasksSecretReferencesReachTheAssignmentAsValuesAndTheSecretShowsWhereItIsUsed() {
        String name = unique("api-token");
        assertThat(create(api, name, "token-v1-a8d7").status()).isEqualTo(201);

        JsonNode first = submitAndTake(Map.of("API_TOKEN", "secret:" + name, "FROM_SSM", "aws-ssm:/prod/db"));
        assertThat(api.put("/api/v1/secrets/" + name, Map.of("value", "token-v2-c4f1"))
                        .status())
                .isEqualTo(200);
        JsonNode second = submitAndTake(Map.of("API_TOKEN", "secret:" + name));
        String taskId = first.get("taskId").asText();
        TestHttp.Response task = api.get("/api/v1/tasks/" + taskId);
        TestHttp.Response where = api.get("/api/v1/secrets/" + name);

        assertThat(first.get("secrets").size())
                .as("aws-* references are the delegate's")
                .isEqualTo(1);
        assertThat(first.get("secrets").get("API_TOKEN").asText()).isEqualTo("token-v1-a8d7");
        assertThat(first.get("payload").get("secrets").get("API_TOKEN").asText())
                .isEqualTo("secret:" + name);
        assertThat(first.get("payload").get("secrets").get("FROM_SSM").asText()).isEqualTo("aws-ssm:/prod/db");
        assertThat(second.get("secrets").get("API_TOKEN").asText())
                .as("a new version")
                .isEqualTo("token-v2-c4f1");
        assertThat(task.body()).doesNotContain("token-v1-a8d7").contains("secret:" + name);
        assertThat(where.json().get("usedByTasks").asInt()).isEqualTo(2);
        assertThat(where.json().get("activeTasks").asInt()).as("both ended").isZero();
        assertThat(where.json().get("usedBy").findValuesAsText("taskId"))
                .containsExactly(second.get("taskId").asText(), taskId);
        assertThat(where.json().get("usedBy").findValuesAsText("secretVersion")).containsExactly("2", "1");
        assertThat(where.json().get("usedBy").get(1).get("envName").asText()).isEqualTo("API_TOKEN");
        assertThat(where.body()).doesNotContain("token-v1-a8d7").doesNotContain("token-v2-c4f1");
    }

    @Test
    void aTaskReferencingAnUnknownSecretIsRefusedNamingTheVariableAndTheSecretAndNothingIsStored() {
        String known = unique("known");
        assertThat(create(api, known, "known-value").status()).isEqualTo(201);
        int before = api.get("/api/v1/tasks?limit=500").json().get("tasks").size();

        TestHttp.Response refused = api.post(
                "/api/v1/tasks",
                Map.of(
                        "type",
                        "echo",
                        "payload",
                        Map.of("secrets", Map.of("GOOD", "secret:" + known, "DB_PASSWORD", "secret:nope"))));
        TestHttp.Response badName = api.post(
                "/api/v1/tasks", Map.of("type", "echo", "payload", Map.of("secrets", Map.of("X", "secret:a b"))));

        assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
        assertThat(refused.json().get("code").asText()).isEqualTo("UNKNOWN_SECRET");
        assertThat(refused.json().get("errors")).singleElement().satisfies(e -> {
            assertThat(e.get("field").asText()).isEqualTo("payload.secrets.DB_PASSWORD");
            assertThat(e.get("message").asText()).contains("`nope`");
        });
        assertThat(badName.status()).isEqualTo(422);
        assertThat(badName.json().get("errors").get(0).get("message").asText()).contains("does not name a secret");
        assertThat(api.get("/api/v1/tasks?limit=500").json().get("tasks").size())
                .isEqualTo(before);
        assertThat(api.get("/api/v1/secrets/" + known).json().get("usedByTasks").asInt())
                .isZero();
    }

    @Test
    void theSecretQuotaRefusesOneMoreAndCreatesNothing() {
        try (TestManager small = TestManager.start(Map.of("OPENDELEGATE_MAX_SECRETS", "1"))) {
            TestHttp admin = small.api();
            assertThat(create(admin, "first", "v").status()).isEqualTo(201);

            TestHttp.Response refused = create(admin, "second", "v");

            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.json().get("code").asText()).isEqualTo("QUOTA_REACHED");
            assertThat(refused.json().get("limit").asText()).isEqualTo("OPENDELEGATE_MAX_SECRETS");
            assertThat(admin.get("/api/v1/secrets/second").status()).isEqualTo(404);
        }
    }

    private static JsonNode submitAndTake(Map<String, String> secrets) {
        TestHttp.Response submitted =
                api.post("/api/v1/tasks", Map.of("type", "echo", "payload", Map.of("secrets", secrets)));
        assertThat(submitted.status()).as(submitted.toString()).isEqualTo(201);
        JsonNode assignment = delegate.take();
        finish(assignment);
        return assignment;
    }
}
