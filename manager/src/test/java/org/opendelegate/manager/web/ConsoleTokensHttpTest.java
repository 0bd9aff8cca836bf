package org.opendelegate.manager.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.testing.ConsoleBrowser;
import org.opendelegate.manager.testing.TestManager;
import org.opendelegate.testkit.FakeDelegate;
import org.opendelegate.testkit.MutableClock;

/**
 * Setup → Delegate Tokens with the token lifecycle: a token created with expiry, limit and single use shows
 * them; a rotation shows the new secret once and the delegates still on the old token, in the callout and
 * in the old token's row; viewers get no Rotate button and cannot rotate.
 */
class ConsoleTokensHttpTest {
    private static final Instant T0 = Instant.parse("2026-12-04T12:00:00Z");

    private TestManager manager;

    @BeforeEach
    void start() {
        manager = TestManager.start(Map.of(), new MutableClock(T0));
    }

    @AfterEach
    void stop() {
        manager.close();
    }

    @Test
    void aTokenCreatedWithItsSettingsShowsThemAndBadSettingsAreShownInTheDialog() {
        ConsoleBrowser admin = manager.signedInAdmin();
        String csrf = admin.csrfToken();

        ConsoleBrowser.Page created = admin.post(
                        "/setup/delegate-tokens",
                        Map.of(
                                "_csrf",
                                csrf,
                                "name",
                                "one-shot",
                                "expires",
                                "7d",
                                "maxDelegates",
                                "3",
                                "singleUse",
                                "true"),
                        "HX-Request",
                        "true")
                .expectStatus(200);
        ConsoleBrowser.Page badLimit = admin.post(
                "/setup/delegate-tokens",
                Map.of("_csrf", csrf, "name", "bad", "maxDelegates", "lots"),
                "HX-Request",
                "true");
        ConsoleBrowser.Page zeroLimit = admin.post(
                "/setup/delegate-tokens",
                Map.of("_csrf", csrf, "name", "bad", "maxDelegates", "0"),
                "HX-Request",
                "true");

        JsonNode token = tokenNamed("one-shot");
        assertThat(token.get("singleUse").asBoolean()).isTrue();
        assertThat(token.get("maxDelegates").asInt()).isEqualTo(3);
        assertThat(token.get("expiresAt").asText()).isEqualTo("2026-12-11T12:00:00Z");
        assertThat(created.body())
                .contains("id=\"created-secret\"", "single-use", "expires 2026-12-11 12:00:00 UTC", "0 / 3 connected");
        assertThat(badLimit.status()).isEqualTo(422);
        assertThat(badLimit.body()).contains("must be a whole number from 1 to 10000");
        assertThat(zeroLimit.status()).isEqualTo(422);
        assertThat(zeroLimit.body()).contains("it must be from 1 to 10000");
        assertThat(manager.api()
                        .get("/api/v1/delegate-tokens")
                        .json()
                        .get("tokens")
                        .findValuesAsText("name"))
                .doesNotContain("bad");
    }

    @Test
    void aRotationShowsTheNewSecretOnceAndWhoStillUsesTheOldToken() {
        JsonNode old = manager.api()
                .post("/api/v1/delegate-tokens", Map.of("name", "ecs-prod"))
                .json();
        FakeDelegate stillOld = manager.delegate(
                "build-7", "ecs", TestManager.ACCOUNT_ID, old.get("token").asText());
        assertThat(stillOld.register().status()).isEqualTo(200);
        ConsoleBrowser admin = manager.signedInAdmin();
        assertThat(admin.get("/setup/delegate-tokens").body())
                .contains("id=\"rotate-" + old.get("id").asText() + "\"");

        ConsoleBrowser.Page rotated = admin.post(
                        "/setup/delegate-tokens/rotate",
                        Map.of(
                                "_csrf",
                                admin.csrfToken(),
                                "tokenId",
                                old.get("id").asText(),
                                "graceSeconds",
                                "3600"),
                        "HX-Request",
                        "true")
                .expectStatus(200);

        String secret = rotated.body().replaceAll("(?s).*id=\"created-secret\" readonly value=\"([^\"]+)\".*", "$1");
        assertThat(secret).startsWith("odt_");
        assertThat(rotated.body())
                .contains("Token ecs-prod rotated to ecs-prod-r2", "before 2026-12-04 13:00:00 UTC", "build-7")
                .contains("Rotated to ecs-prod-r2; works until 2026-12-04 13:00:00 UTC", "data-still-using");
        assertThat(rotated.header("HX-Trigger")).contains("Rotated ecs-prod to ecs-prod-r2.");
        String page = admin.get("/setup/delegate-tokens").body();
        assertThat(page).contains("Rotated to ecs-prod-r2", "build-7").doesNotContain(secret);
        assertThat(page)
                .as("a rotated token is not rotated again")
                .doesNotContain("id=\"rotate-" + old.get("id").asText() + "\"");
        assertThat(manager.delegate("build-8", "ecs", TestManager.ACCOUNT_ID, secret)
                        .register()
                        .status())
                .isEqualTo(200);
    }

    @Test
    void viewersSeeNoRotateButtonAndCannotRotate() {
        JsonNode token = manager.api()
                .post("/api/v1/delegate-tokens", Map.of("name", "t"))
                .json();
        manager.api()
                .post(
                        "/api/v1/users",
                        Map.of("username", "viewer", "role", "VIEWER", "password", "viewer-password-0123"));
        ConsoleBrowser viewer = manager.browser();
        viewer.signIn("viewer", "viewer-password-0123").expectStatus(303);

        assertThat(viewer.get("/setup/delegate-tokens").body()).doesNotContain("Rotate</button>");
        ConsoleBrowser.Page rotate = viewer.post(
                "/setup/delegate-tokens/rotate",
                Map.of("_csrf", viewer.csrfToken(), "tokenId", token.get("id").asText()),
                "HX-Request",
                "true");
        assertThat(rotate.status()).isEqualTo(403);
        assertThat(tokenNamed("t").has("replacedBy")).isFalse();
    }

    private JsonNode tokenNamed(String name) {
        for (JsonNode t : manager.api().get("/api/v1/delegate-tokens").json().get("tokens")) {
            if (t.get("name").asText().equals(name)) {
                return t;
            }
        }
        throw new AssertionError("no token named " + name);
    }
}
