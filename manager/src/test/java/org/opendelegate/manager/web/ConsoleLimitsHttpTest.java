package org.opendelegate.manager.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.testing.ConsoleBrowser;
import org.opendelegate.manager.testing.TestManager;

/** Administration → Limits shows each account quota's usage against its limit, and which are reached. */
class ConsoleLimitsHttpTest {

    @Test
    void theLimitsPageShowsUsageAgainstEachLimitAndWhichAreReached() {
        try (TestManager manager = TestManager.start(
                Map.of("OPENDELEGATE_MAX_DELEGATE_TOKENS", "2", "OPENDELEGATE_MAX_DELEGATES", "10000"))) {
            assertThat(manager.delegate("limits-1", "limits-group").register().status())
                    .isEqualTo(200);
            ConsoleBrowser admin = manager.signedInAdmin();

            String before = admin.get("/setup/limits").expectStatus(200).body();
            assertThat(before).contains("href=\"/setup/limits\"");
            assertThat(row(before, "delegates"))
                    .contains("1 of 10,000 delegates")
                    .contains("data-full=\"false\"");
            assertThat(row(before, "delegate-tokens"))
                    .contains("1 of 2 delegate tokens")
                    .contains("OPENDELEGATE_MAX_DELEGATE_TOKENS")
                    .doesNotContain("Limit reached");
            assertThat(before).contains("id=\"limit-groups\"", "id=\"limit-profiles\"");
            assertThat(before).contains("id=\"limit-cloud-providers\"");

            assertThat(manager.api()
                            .post("/api/v1/delegate-tokens", Map.of("name", "second"))
                            .status())
                    .isEqualTo(201);
            String after = admin.get("/setup/limits").expectStatus(200).body();
            assertThat(row(after, "delegate-tokens"))
                    .contains("2 of 2 delegate tokens")
                    .contains("data-full=\"true\"")
                    .contains("Limit reached");
        }
    }

    @Test
    void aSignedOutVisitorDoesNotSeeTheLimits() {
        try (TestManager manager = TestManager.start()) {
            var answer = manager.anonymous().get("/setup/limits");
            assertThat(answer.status()).isNotEqualTo(200);
            assertThat(answer.body()).doesNotContain("limit-delegates");
        }
    }

    /** The table row of one quota. */
    private static String row(String html, String id) {
        int start = html.indexOf("id=\"limit-" + id + "\"");
        assertThat(start).as("row " + id).isPositive();
        return html.substring(start, html.indexOf("</tr>", start));
    }
}
