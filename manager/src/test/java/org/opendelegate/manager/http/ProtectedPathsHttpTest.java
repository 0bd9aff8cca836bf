package org.opendelegate.manager.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.testing.TestManager;
import org.opendelegate.testkit.TestHttp;

/**
 * Which paths ask for credentials ({@link Routes#beforeUnder}): the API key on {@code /api/v1} and every path
 * under it, a console session on each console root and every path under it; a path that only begins with the
 * same letters is neither.
 */
class ProtectedPathsHttpTest {
    private static TestManager manager;

    @BeforeAll
    static void start() {
        manager = TestManager.start();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    @Test
    void theApiAsksForAnApiKeyOnItsRootAndEveryPathUnderItAndNowhereElse() {
        TestHttp anonymous = manager.anonymous();

        for (String path : List.of("/api/v1", "/api/v1/", "/api/v1/tasks", "/api/v1/no-such-thing/at/all")) {
            TestHttp.Response answer = anonymous.get(path);
            assertThat(answer.status()).as(path).isEqualTo(401);
            assertThat(answer.header("WWW-Authenticate")).as(path).startsWith("Bearer");
        }
        assertThat(anonymous.get("/api/v1x").status()).isEqualTo(404);
        assertThat(anonymous.get("/api/openapi.yaml").status()).isEqualTo(200);
        assertThat(manager.api().get("/api/v1/tasks").status()).isEqualTo(200);
    }

    @Test
    void everyConsoleRootAndEveryPathUnderItAsksForASessionAndNothingElseDoes() {
        TestHttp anonymous = manager.anonymous();

        for (String root : List.of("/setup", "/tasks", "/deployments")) {
            for (String path : List.of(root, root + "/", root + "/delegates", root + "/no/such/page")) {
                TestHttp.Response answer = anonymous.get(path);
                assertThat(answer.status()).as(path).isEqualTo(303);
                assertThat(answer.header("Location")).as(path).startsWith("/login?next=");
            }
            assertThat(anonymous.get(root + "x").status()).as(root + "x").isEqualTo(404);
            assertThat(anonymous
                            .postRaw(root + "/anything", "application/x-www-form-urlencoded", "a=b")
                            .status())
                    .as("POST " + root + "/anything")
                    .isEqualTo(401);
        }
        assertThat(anonymous.get("/login").status()).isEqualTo(200);
    }
}
