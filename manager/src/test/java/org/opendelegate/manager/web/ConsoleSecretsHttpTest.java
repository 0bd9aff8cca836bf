package org.opendelegate.manager.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.testing.ConsoleBrowser;
import org.opendelegate.manager.testing.TestManager;

/**
 * Setup → Secrets through the console's forms: an admin adds a secret and sets a new value, the value never
 * comes back in a page or fragment, and the detail page shows the versions.
 */
class ConsoleSecretsHttpTest {
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
    void anAdminAddsASecretAndANewValueAndNoPageEverShowsAValue() {
        ConsoleBrowser admin = manager.signedInAdmin();
        String token = admin.csrfToken();

        ConsoleBrowser.Page added = admin.post(
                "/setup/secrets",
                Map.of("_csrf", token, "name", "db-password", "description", "the database", "value", "first-Val-91x"),
                "HX-Request",
                "true");
        ConsoleBrowser.Page changed = admin.post(
                "/setup/secrets/update",
                Map.of("_csrf", token, "name", "db-password", "description", "rotated", "value", "second-Val-27q"),
                "HX-Request",
                "true");
        ConsoleBrowser.Page badName = admin.post(
                "/setup/secrets", Map.of("_csrf", token, "name", "no spaces", "value", "v"), "HX-Request", "true");
        ConsoleBrowser.Page list = admin.get("/setup/secrets").expectStatus(200);
        ConsoleBrowser.Page detail = admin.get("/setup/secrets/db-password").expectStatus(200);

        assertThat(added.status()).as(added.toString()).isEqualTo(200);
        assertThat(added.body()).contains("db-password");
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.body()).contains("Version 2", "rotated");
        assertThat(badName.body()).contains("not a valid secret name");
        assertThat(list.body()).contains("db-password", "v2", "type=\"password\"");
        assertThat(detail.body()).contains("secret:db-password", "v1", "v2");
        assertThat(added.body() + changed.body() + list.body() + detail.body())
                .doesNotContain("first-Val-91x")
                .doesNotContain("second-Val-27q");
        assertThat(admin.get("/setup/secrets/nope").status()).isEqualTo(404);
    }
}
