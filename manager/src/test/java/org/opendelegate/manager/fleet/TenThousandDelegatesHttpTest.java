package org.opendelegate.manager.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.config.StoreConfig;
import org.opendelegate.manager.store.Database;
import org.opendelegate.manager.store.Delegate;
import org.opendelegate.manager.store.DelegateDao;
import org.opendelegate.manager.store.DelegateGroup;
import org.opendelegate.manager.store.DelegateGroupDao;
import org.opendelegate.manager.store.GroupScopes;
import org.opendelegate.manager.testing.ConsoleBrowser;
import org.opendelegate.manager.testing.TestManager;
import org.opendelegate.protocol.DelegateType;
import org.opendelegate.protocol.IdentityKind;
import org.opendelegate.testkit.FakeDelegate;
import org.opendelegate.testkit.MutableClock;
import org.opendelegate.testkit.TestHttp;

/**
 * One account with 10,000 delegates (written to the store before the Manager starts, so the test needs no
 * 10,000 registrations) and three registered over HTTP that poll: tasks still go to the right delegates,
 * each stored selection log stays a few KB, and the Delegates page and {@code GET /api/v1/delegates} answer
 * one bounded page. The clock stands still, so the stored delegates stay connected for the whole test.
 */
class TenThousandDelegatesHttpTest {
    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    private static final int FLEET = 10_000;
    /** Every tenth stored delegate said goodbye. */
    private static final int DISCONNECTED = FLEET / 10;

    private static final int POLLING = 3;

    private static TestManager manager;
    private static List<FakeDelegate> special;

    @BeforeAll
    static void startWithTenThousandDelegates() throws Exception {
        Path dataDir = Files.createTempDirectory("opendelegate-fleet");
        Map<String, String> env = Map.of(
                "OPENDELEGATE_DATA_DIR", dataDir.toString(),
                "OPENDELEGATE_MAX_DELEGATES", "20000",
                "OPENDELEGATE_DISCONNECT_AFTER", "60s",
                // This test is not about slow clients: on a saturated machine a small registration body can
                // fall below the minimum body rate and be refused (408) for reasons of the machine, not of it.
                "OPENDELEGATE_HTTP_MIN_BODY_RATE", "0");
        MutableClock clock = new MutableClock(NOW);
        // The first start creates the schema and the account; the fleet goes in while the Manager is down.
        TestManager.start(env, clock).close();
        writeFleet(dataDir);
        manager = TestManager.start(env, clock);
        special = List.of(special("special-1"), special("special-2"), special("special-3"));
    }

    @AfterAll
    static void stop() {
        if (special != null) {
            special.forEach(FakeDelegate::close);
        }
        if (manager != null) {
            manager.close();
        }
    }

    private static FakeDelegate special(String name) {
        FakeDelegate d = manager.delegate(name, "special").with("selectors", List.of("gpu"));
        assertThat(d.register().status()).isEqualTo(200);
        return d;
    }

    private static void writeFleet(Path dataDir) {
        StoreConfig config = new StoreConfig(dataDir, Optional.empty(), "", "", Optional.empty(), Optional.empty());
        try (Database db = Database.open(config)) {
            DelegateGroup group = new DelegateGroup(
                    "grp-fleet", TestManager.ACCOUNT_ID, "fleet", List.of(), GroupScopes.NONE, false, NOW, NOW);
            assertThat(new DelegateGroupDao(db.jdbi()).create(group)).isTrue();
            DelegateDao delegates = new DelegateDao(db.jdbi());
            for (int i = 0; i < FLEET; i++) {
                delegates.insert(stored(i));
            }
        }
    }

    private static Delegate stored(int i) {
        String name = String.format("fleet-%05d", i);
        boolean gone = i % 10 == 9;
        return new Delegate(
                "dlg-" + name,
                TestManager.ACCOUNT_ID,
                "grp-fleet",
                name,
                name + ".local",
                "10.0." + (i / 250) + "." + (i % 250),
                DelegateType.SHELL,
                null,
                IdentityKind.STABLE,
                "0.1.0",
                "Primary",
                List.of(),
                List.of("echo", "sleep"),
                4,
                null,
                null,
                "inst-" + name,
                "sess-" + name,
                NOW,
                NOW,
                NOW,
                gone ? NOW : null,
                gone ? "deregistered" : null);
    }

    @Test
    void tasksGoToTheRightDelegatesAndEachSelectionLogStaysSmall() {
        TestHttp api = manager.api();
        Set<String> specialIds = new HashSet<>();
        special.forEach(d -> specialIds.add(d.delegateId));
        for (int i = 0; i < 6; i++) {
            // Half need the selector only the three polling delegates have; half any delegate of the 10,003.
            Map<String, Object> body =
                    i % 2 == 0 ? Map.of("type", "echo", "selectors", List.of("gpu")) : Map.of("type", "echo");
            String id = api.post("/api/v1/tasks", body).json().get("id").asText();
            JsonNode assignment = special.get(i % POLLING).take();
            assertThat(assignment.get("taskId").asText()).isEqualTo(id);

            JsonNode task = api.get("/api/v1/tasks/" + id).json();
            assertThat(specialIds).contains(task.get("delegateId").asText());
            JsonNode log = task.get("selectionLog");
            assertThat(log.get("considered").asInt()).isEqualTo(FLEET + POLLING);
            assertThat(log.get("excluded").toString()).contains("\"count\":" + DISCONNECTED);
            if (i % 2 == 0) {
                assertThat(log.get("eligibleCount").asInt()).isEqualTo(POLLING);
                assertThat(log.get("excluded").toString()).contains("\"count\":" + (FLEET - DISCONNECTED));
                // The three eligible, and the three nearest misses of each of the two reasons.
                assertThat(log.get("candidates")).hasSize(POLLING + 3 + 3);
            } else {
                assertThat(log.get("eligibleCount").asInt()).isEqualTo(FLEET - DISCONNECTED + POLLING);
                // The best 20 eligible, and the three nearest misses of the one reason.
                assertThat(log.get("candidates")).hasSize(20 + 3);
            }
            assertThat(task.get("selectionHistory").toString().length())
                    .as("the stored selection history of a task routed among 10,003 delegates, in characters")
                    .isLessThan(8_000);
            special.get(i % POLLING).succeed(id, assignment.get("fencingToken").asLong(), Map.of());
        }
    }

    @Test
    void theApiAnswersOnePageAndTheCursorWalksTheWholeFleetOnce() {
        TestHttp api = manager.api();
        TestHttp.Response first = api.get("/api/v1/delegates");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().get("delegates")).hasSize(100);
        assertThat(first.json().get("total").asInt()).isEqualTo(FLEET + POLLING);
        assertThat(first.body().length()).as("bytes of the default page").isLessThan(250_000);

        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = api.get("/api/v1/delegates?limit=500" + (cursor == null ? "" : "&cursor=" + cursor))
                    .json();
            assertThat(page.get("delegates").size()).isLessThanOrEqualTo(500);
            page.get("delegates")
                    .forEach(d -> assertThat(seen.add(d.get("id").asText())).isTrue());
            cursor = page.hasNonNull("nextCursor") ? page.get("nextCursor").asText() : null;
            pages++;
        } while (cursor != null);
        assertThat(seen).hasSize(FLEET + POLLING);
        assertThat(pages).isEqualTo((FLEET + POLLING + 499) / 500);
    }

    @Test
    void theGroupAnswersItsCountsAndOnePageOfItsMembersAndTheCursorWalksThemOnce() {
        TestHttp api = manager.api();
        TestHttp.Response first = api.get("/api/v1/delegate-groups/grp-fleet");
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.json().get("delegateCount").asInt()).isEqualTo(FLEET);
        assertThat(first.json().get("connectedCount").asInt()).isEqualTo(FLEET - DISCONNECTED);
        assertThat(first.json().get("delegates")).hasSize(100);
        assertThat(first.json().get("delegates").get(0).get("name").asText()).isEqualTo("fleet-00000");
        assertThat(first.body().length())
                .as("bytes of the group's default answer")
                .isLessThan(250_000);

        Set<String> seen = new HashSet<>();
        String cursor = null;
        do {
            JsonNode page = api.get(
                            "/api/v1/delegate-groups/grp-fleet?limit=500" + (cursor == null ? "" : "&cursor=" + cursor))
                    .json();
            assertThat(page.get("delegates").size()).isLessThanOrEqualTo(500);
            page.get("delegates").forEach(d -> {
                assertThat(d.get("groupId").asText()).isEqualTo("grp-fleet");
                assertThat(seen.add(d.get("id").asText())).isTrue();
            });
            cursor = page.hasNonNull("nextCursor") ? page.get("nextCursor").asText() : null;
        } while (cursor != null);
        assertThat(seen).hasSize(FLEET);

        assertThat(api.get("/api/v1/delegate-groups").body())
                .as("the list of groups carries counts, not members")
                .doesNotContain("\"delegates\"");
        assertRefused(api.get("/api/v1/delegate-groups/grp-fleet?limit=501"), "limit");
        assertRefused(api.get("/api/v1/delegate-groups/grp-fleet?cursor=not-a-cursor"), "cursor");
    }

    @Test
    void theApiFiltersByStatusGroupSelectorAndName() {
        TestHttp api = manager.api();
        assertThat(total(api, "?status=DISCONNECTED")).isEqualTo(DISCONNECTED);
        assertThat(total(api, "?status=connected")).isEqualTo(FLEET - DISCONNECTED + POLLING);
        assertThat(total(api, "?group=special")).isEqualTo(POLLING);
        assertThat(total(api, "?selector=gpu&status=CONNECTED")).isEqualTo(POLLING);
        // fleet-09990 ... fleet-09999
        JsonNode named = api.get("/api/v1/delegates?q=FLEET-0999&limit=4").json();
        assertThat(named.get("total").asInt()).isEqualTo(10);
        List<String> names = new java.util.ArrayList<>();
        named.get("delegates").forEach(d -> names.add(d.get("name").asText()));
        assertThat(names).containsExactly("fleet-09990", "fleet-09991", "fleet-09992", "fleet-09993");
    }

    @Test
    void badPagingAndFilterValuesAreRefusedNamingTheParameter() {
        TestHttp api = manager.api();
        for (String query : List.of("limit=501", "limit=0", "limit=-3", "limit=ten", "limit=1.5")) {
            assertRefused(api.get("/api/v1/delegates?" + query), "limit");
        }
        assertRefused(api.get("/api/v1/delegates?cursor=not-a-cursor"), "cursor");
        assertRefused(api.get("/api/v1/delegates?status=SLEEPING"), "status");
        assertRefused(api.get("/api/v1/delegates?q=" + "x".repeat(101)), "q");
        assertRefused(api.get("/api/v1/delegates?group=%01"), "group");
        assertRefused(api.get("/api/v1/delegates?q=a%01b"), "q");
    }

    @Test
    void theDelegatesPageShowsOnePageOfFiftyAndStaysSmall() {
        ConsoleBrowser browser = manager.signedInAdmin();
        String page = browser.get("/setup/delegates").expectStatus(200).body();
        assertThat(rows(page)).hasSize(50);
        assertThat(page).contains("Page 1 of 201");
        assertThat(page.length())
                .as("characters of the Delegates page at 10,003 delegates")
                .isLessThan(100_000);

        String board = browser.get(
                        "/setup/delegates/board",
                        "HX-Request",
                        "true",
                        "HX-Current-URL",
                        manager.url() + "/setup/delegates?page=2")
                .expectStatus(200)
                .body();
        assertThat(board.length())
                .as("characters of the live refresh (the board alone) at 10,003 delegates")
                .isLessThan(60_000);
        List<String> second = rows(board);
        assertThat(second).hasSize(50).doesNotContainAnyElementsOf(rows(page));
        assertThat(board)
                .as("the live refresh redraws the page the person looks at")
                .contains("Page 2 of 201");

        String filtered = browser.get("/setup/delegates?q=fleet-0999&status=DISCONNECTED")
                .expectStatus(200)
                .body();
        assertThat(rows(filtered)).containsExactly("dlg-fleet-09999");
        assertThat(browser.get("/setup/delegates?page=0").status()).isEqualTo(400);
    }

    @Test
    void aRowShowsTheTasksItsDelegateRunsAndItsNameOpensItsPageWithTheDetails() {
        TestHttp api = manager.api();
        FakeDelegate gpu = special.get(0);
        String id = api.post("/api/v1/tasks", Map.of("type", "echo", "selectors", List.of("gpu")))
                .json()
                .get("id")
                .asText();
        JsonNode assignment = gpu.take();
        assertThat(assignment.get("taskId").asText()).isEqualTo(id);
        ConsoleBrowser browser = manager.signedInAdmin();
        try {
            String board = browser.get("/setup/delegates?group=special")
                    .expectStatus(200)
                    .body();
            assertThat(row(board, gpu.delegateId))
                    .contains("class=\"tasks\">1/")
                    .contains("href=\"/setup/delegates/" + gpu.delegateId + "\"")
                    .contains(">gpu</span>");

            String page = browser.get("/setup/delegates/" + gpu.delegateId)
                    .expectStatus(200)
                    .body();
            assertThat(page)
                    .contains("special-1", "1 running of", "Connected since", "Implicit: the group name")
                    .contains("echo</span>");
        } finally {
            gpu.succeed(id, assignment.get("fencingToken").asLong(), Map.of());
        }
        assertThat(browser.get("/setup/delegates/dlg-no-such-delegate").status())
                .isEqualTo(404);
    }

    /** The markup of one delegate's row. */
    private static String row(String html, String delegateId) {
        int start = html.indexOf("id=\"delegate-" + delegateId + "\"");
        assertThat(start).as("the row of " + delegateId).isPositive();
        return html.substring(start, html.indexOf("</div>", start));
    }

    private static List<String> rows(String html) {
        Matcher m = Pattern.compile("role=\"row\" id=\"delegate-([^\"]+)\"").matcher(html);
        List<String> ids = new java.util.ArrayList<>();
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    private static int total(TestHttp api, String query) {
        TestHttp.Response r = api.get("/api/v1/delegates" + query);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("total").asInt();
    }

    private static void assertRefused(TestHttp.Response r, String parameter) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.body()).contains("\"" + parameter + "\"");
    }
}
