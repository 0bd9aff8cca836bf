package org.opendelegate.manager.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opendelegate.manager.testing.TestDatabases;
import org.opendelegate.manager.testing.TestDatabases.TestStore;

/**
 * The secret store on embedded H2 and PostgreSQL: names unique per account, every read scoped to its account,
 * an update a new version that only one of two racing writers makes, and where a secret is used.
 */
class SecretDaoTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private TestStore store;
    private SecretDao secrets;
    private TaskDao tasks;

    static Stream<String> stores() {
        return Stream.of("h2", "postgres");
    }

    private void open(String kind) {
        store = kind.equals("h2") ? TestDatabases.h2() : TestDatabases.postgres();
        var jdbi = store.database().jdbi();
        new AccountDao(jdbi).insert(new Account("a1", "Account one", T0));
        new AccountDao(jdbi).insert(new Account("a2", "Account two", T0));
        secrets = new SecretDao(jdbi);
        tasks = new TaskDao(jdbi);
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    private static AccountSecret secret(String id, String account, String name) {
        return new AccountSecret(id, account, name, "the " + name, 1, "user:alice", T0, "user:alice", T0);
    }

    @ParameterizedTest
    @MethodSource("stores")
    void namesAreUniquePerAccountAndEachAccountSeesOnlyItsOwn(String kind) {
        open(kind);
        secrets.insert(secret("s1", "a1", "db-password"), "v1:one");
        secrets.insert(secret("s2", "a2", "db-password"), "v1:two");

        assertThatThrownBy(() -> secrets.insert(secret("s3", "a1", "db-password"), "v1:three"))
                .matches(SecretDao::isDuplicateName);
        assertThat(secrets.find("a1", "db-password")).map(AccountSecret::id).contains("s1");
        assertThat(secrets.find("a2", "db-password")).map(AccountSecret::id).contains("s2");
        assertThat(secrets.list("a1")).extracting(AccountSecret::id).containsExactly("s1");
        assertThat(secrets.sealedValue("s1", 1)).contains("v1:one");
        assertThat(secrets.delete("a2", secrets.find("a1", "db-password").orElseThrow()))
                .as("another account cannot delete it")
                .isFalse();
        assertThat(secrets.describe("a2", "s1", "hijacked", "user:eve", T0)).isFalse();
        assertThat(secrets.find("a1", "db-password").orElseThrow().description())
                .isEqualTo("the db-password");
    }

    @ParameterizedTest
    @MethodSource("stores")
    void anUpdateAddsAVersionAndOfTwoWritersFromTheSameVersionOnlyOneWins(String kind) {
        open(kind);
        AccountSecret s = secret("s1", "a1", "api-token");
        secrets.insert(s, "v1:first");
        AccountSecret v2 = new AccountSecret(
                "s1", "a1", "api-token", "rotated", 2, "user:alice", T0, "user:bob", T0.plusSeconds(60));

        assertThat(secrets.addVersion(v2, "v1:second")).isTrue();
        assertThat(secrets.addVersion(v2, "v1:racer"))
                .as("the second writer from version 1")
                .isFalse();

        AccountSecret now = secrets.find("a1", "api-token").orElseThrow();
        assertThat(now.currentVersion()).isEqualTo(2);
        assertThat(now.description()).isEqualTo("rotated");
        assertThat(now.updatedBy()).isEqualTo("user:bob");
        assertThat(secrets.sealedValue("s1", 2)).contains("v1:second");
        assertThat(secrets.sealedValue("s1", 1)).contains("v1:first");
        assertThat(secrets.versions("s1")).extracting(SecretVersion::version).containsExactly(2, 1);
        assertThat(secrets.delete("a1", now)).isTrue();
        assertThat(secrets.sealedValue("s1", 2)).isEmpty();
        assertThat(secrets.find("a1", "api-token")).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("stores")
    void usesAreListedNewestFirstWithTheTaskStateAndCountedPerSecret(String kind) {
        open(kind);
        secrets.insert(secret("s1", "a1", "db-password"), "v1:x");
        tasks.insert(task("t1", "a1"));
        tasks.insert(task("t2", "a1"));
        secrets.recordUses("a1", "t1", List.of(new SecretRef("DB_PASSWORD", "db-password", 1)), T0);
        secrets.recordUses(
                "a1",
                "t2",
                List.of(new SecretRef("DB_PASSWORD", "db-password", 1), new SecretRef("PW2", "db-password", 1)),
                T0.plusSeconds(1));
        // A submission that lost its idempotency race recorded uses but stored no task: it does not show.
        secrets.recordUses("a1", "never-stored", List.of(new SecretRef("X", "db-password", 1)), T0.plusSeconds(2));
        tasks.finishQueued("t1", TaskState.CANCELLED, null, "cancelled", T0.plusSeconds(5));

        List<SecretUse> uses = secrets.uses("a1", "db-password", 10);

        assertThat(uses).extracting(SecretUse::taskId).containsExactly("t2", "t2", "t1");
        assertThat(uses.get(2).taskState()).isEqualTo("CANCELLED");
        assertThat(uses.get(0).taskState()).isEqualTo("QUEUED");
        assertThat(secrets.usage("a1")).isEqualTo(Map.of("db-password", new SecretUsage(2, 1)));
        assertThat(secrets.usage("a2")).isEmpty();
        assertThat(secrets.uses("a2", "db-password", 10)).isEmpty();
        assertThat(secrets.uses("a1", "db-password", 1)).hasSize(1);
    }

    private static Task task(String id, String account) {
        return Task.queued(
                id,
                account,
                new Task.Spec(
                        "shell.script",
                        JsonNodeFactory.instance.objectNode().put("script", "true"),
                        List.of(),
                        Map.of(),
                        null,
                        null,
                        1,
                        60_000,
                        false,
                        "api"),
                "test",
                T0);
    }
}
