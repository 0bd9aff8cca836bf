package org.opendelegate.manager.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.security.Role;
import org.opendelegate.manager.store.AuditDao;
import org.opendelegate.manager.store.AuditEvent;
import org.opendelegate.manager.store.Database;
import org.opendelegate.manager.testing.TestManager;
import org.opendelegate.protocol.ProblemCodes;
import org.opendelegate.testkit.FakeDelegate;
import org.opendelegate.testkit.MutableClock;
import org.opendelegate.testkit.TestHttp;

/**
 * The lifecycle of delegate tokens over HTTP: expiry, single use, the limit of connected delegates and
 * rotation, each refusal with its problem code, audited, and bad settings refused field by field.
 */
class TokenLifecycleHttpTest {
    private static final Instant T0 = Instant.parse("2026-12-04T12:00:00Z");

    private MutableClock clock;
    private TestManager manager;
    private TestHttp api;

    @BeforeEach
    void start() {
        clock = new MutableClock(T0);
        manager = TestManager.start(Map.of(), clock);
        api = manager.api();
    }

    @AfterEach
    void stop() {
        manager.close();
    }

    @Test
    void anExpiredTokenAdmitsNoRegistrationAndEndsTheSessionsOfItsDelegates() {
        JsonNode token = create(Map.of("name", "short-lived", "expiresAt", "2026-12-04T13:00:00Z"));
        assertThat(token.get("expiresAt").asText()).isEqualTo("2026-12-04T13:00:00Z");
        FakeDelegate early = delegate("early", token);
        assertThat(early.register().status()).isEqualTo(200);

        clock.advance(Duration.ofMinutes(61));
        TestHttp.Response late = delegate("late", token).register();
        TestHttp.Response heartbeat = early.heartbeat();

        assertThat(late.status()).isEqualTo(401);
        assertThat(late.json().get("code").asText()).isEqualTo(ProblemCodes.TOKEN_EXPIRED);
        assertThat(late.json().get("detail").asText()).contains("`short-lived` expired at 2026-12-04T13:00:00Z");
        assertThat(heartbeat.status()).isEqualTo(401);
        assertThat(heartbeat.json().get("code").asText()).isEqualTo(ProblemCodes.TOKEN_EXPIRED);
        assertThat(tokenById(token).get("status").asText()).isEqualTo("EXPIRED");
        assertThat(delegateNames()).containsExactly("early");
        assertThat(refusals())
                .anyMatch(e -> e.detail().startsWith("code=TOKEN_EXPIRED")
                        && e.targetId().equals(token.get("id").asText()));
    }

    @Test
    void badLifecycleSettingsAreRefusedFieldByFieldAndCreateNothing() {
        int before = tokenCount();
        Map<String, Object> notATime = Map.of("name", "a", "expiresAt", "tomorrow");
        Map<String, Object> past = Map.of("name", "b", "expiresAt", "2026-12-04T11:59:59Z");
        Map<String, Object> tooFar = Map.of("name", "c", "expiresAt", "2046-12-04T12:00:00Z");
        Map<String, Object> noLimit = Map.of("name", "d", "maxDelegates", 0);
        Map<String, Object> hugeLimit = Map.of("name", "e", "maxDelegates", 10_001);
        Map<String, Object> both = Map.of("name", "", "expiresAt", "soon", "maxDelegates", -1);

        assertThat(fieldErrors(api.post("/api/v1/delegate-tokens", notATime))).containsExactly("expiresAt");
        assertThat(api.post("/api/v1/delegate-tokens", notATime)
                        .json()
                        .get("detail")
                        .asText())
                .contains("not an ISO-8601 time with a zone such as 2027-01-31T18:00:00Z");
        assertThat(api.post("/api/v1/delegate-tokens", past)
                        .json()
                        .get("detail")
                        .asText())
                .contains("is not in the future");
        assertThat(fieldErrors(api.post("/api/v1/delegate-tokens", tooFar))).containsExactly("expiresAt");
        assertThat(api.post("/api/v1/delegate-tokens", noLimit)
                        .json()
                        .get("detail")
                        .asText())
                .contains("`maxDelegates` is 0; it must be from 1 to 10000");
        assertThat(fieldErrors(api.post("/api/v1/delegate-tokens", hugeLimit))).containsExactly("maxDelegates");
        assertThat(fieldErrors(api.post("/api/v1/delegate-tokens", both)))
                .containsExactly("name", "expiresAt", "maxDelegates");
        TestHttp.Response wrongType = api.post("/api/v1/delegate-tokens", Map.of("name", "f", "singleUse", "yes"));
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(fieldErrors(wrongType)).containsExactly("singleUse");
        assertThat(tokenCount()).isEqualTo(before);
    }

    @Test
    void aSingleUseTokenAdmitsExactlyOneRegistration() {
        JsonNode token = create(Map.of("name", "one-shot", "singleUse", true));
        FakeDelegate first = delegate("first", token);
        assertThat(first.register().status()).isEqualTo(200);

        TestHttp.Response other = delegate("second", token).register();
        TestHttp.Response sameIdentity = delegate("first", token).register();

        assertThat(other.status()).isEqualTo(401);
        assertThat(other.json().get("code").asText()).isEqualTo(ProblemCodes.TOKEN_ALREADY_USED);
        assertThat(other.json().get("detail").asText()).contains("`one-shot` is single-use");
        assertThat(sameIdentity.status()).isEqualTo(401);
        assertThat(sameIdentity.json().get("code").asText()).isEqualTo(ProblemCodes.TOKEN_ALREADY_USED);
        JsonNode stored = tokenById(token);
        assertThat(stored.get("status").asText()).isEqualTo("USED");
        assertThat(stored.get("singleUse").asBoolean()).isTrue();
        assertThat(stored.get("usedBy").asText()).isEqualTo(first.delegateId);
        assertThat(delegateNames()).containsExactly("first");
        assertThat(refusals())
                .filteredOn(e -> e.detail().startsWith("code=TOKEN_ALREADY_USED"))
                .hasSize(2);
    }

    @Test
    void ofConcurrentRegistrationsWithOneSingleUseTokenExactlyOneWins() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            for (int round = 0; round < 5; round++) {
                JsonNode token = create(Map.of("name", "race-" + round, "singleUse", true));
                CyclicBarrier start = new CyclicBarrier(6);
                List<Future<TestHttp.Response>> answers = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    FakeDelegate d = delegate("racer-" + round + "-" + i, token);
                    answers.add(pool.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        return d.register();
                    }));
                }
                Map<Integer, Integer> byStatus = new HashMap<>();
                for (Future<TestHttp.Response> answer : answers) {
                    TestHttp.Response r = answer.get(30, TimeUnit.SECONDS);
                    byStatus.merge(r.status(), 1, Integer::sum);
                    if (r.status() != 200) {
                        assertThat(r.json().get("code").asText()).isEqualTo(ProblemCodes.TOKEN_ALREADY_USED);
                    }
                }
                assertThat(byStatus).as("round %d", round).containsExactlyInAnyOrderEntriesOf(Map.of(200, 1, 401, 5));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theLimitCountsConnectedDelegatesAndLetsACountedOneRegisterAgain() {
        JsonNode token = create(Map.of("name", "two-at-most", "maxDelegates", 2));
        FakeDelegate a = delegate("a", token);
        FakeDelegate b = delegate("b", token);
        assertThat(a.register().status()).isEqualTo(200);
        assertThat(b.register().status()).isEqualTo(200);

        TestHttp.Response third = delegate("c", token).register();
        TestHttp.Response again = delegate("a", token).register();

        assertThat(third.status()).isEqualTo(403);
        assertThat(third.json().get("code").asText()).isEqualTo(ProblemCodes.TOKEN_LIMIT_REACHED);
        assertThat(third.json().get("detail").asText())
                .contains("allows 2 connected delegate(s) and 2 are connected, so delegate `c` was not admitted");
        assertThat(again.status()).isEqualTo(200);
        assertThat(tokenById(token).get("connectedDelegates").asInt()).isEqualTo(2);
        assertThat(delegateNames()).containsExactlyInAnyOrder("a", "b");
        assertThat(refusals()).anyMatch(e -> e.detail().startsWith("code=TOKEN_LIMIT_REACHED"));

        clock.advance(Duration.ofSeconds(3));
        assertThat(delegate("c", token).register().status())
                .as("silent delegates no longer count")
                .isEqualTo(200);
    }

    @Test
    void rotationKeepsTheOldTokenForTheGracePeriodAndShowsWhoStillUsesIt() {
        JsonNode old = create(Map.of("name", "ecs-prod", "maxDelegates", 5, "expiresAt", "2026-12-14T12:00:00Z"));
        FakeDelegate onOld = delegate("on-old", old);
        assertThat(onOld.register().status()).isEqualTo(200);
        assertThat(tokenById(old).get("lastUsedAt").asText()).isEqualTo(T0.toString());

        clock.advance(Duration.ofMinutes(1));
        TestHttp.Response rotated =
                api.post("/api/v1/delegate-tokens/" + old.get("id").asText() + "/rotate", Map.of("graceSeconds", 3600));

        assertThat(rotated.status()).isEqualTo(201);
        JsonNode successor = rotated.json().get("token");
        JsonNode replaced = rotated.json().get("replaced");
        assertThat(rotated.header("Location"))
                .isEqualTo("/api/v1/delegate-tokens/" + successor.get("id").asText());
        assertThat(successor.get("name").asText()).isEqualTo("ecs-prod-r2");
        assertThat(successor.get("token").asText()).startsWith("odt_");
        assertThat(successor.get("maxDelegates").asInt()).isEqualTo(5);
        assertThat(successor.get("replaces").asText()).isEqualTo(old.get("id").asText());
        assertThat(successor.get("expiresAt").asText())
                .as("the same ten-day lifetime, from now")
                .isEqualTo("2026-12-14T12:01:00Z");
        assertThat(replaced.get("replacedBy").asText())
                .isEqualTo(successor.get("id").asText());
        assertThat(replaced.get("expiresAt").asText()).isEqualTo("2026-12-04T13:01:00Z");
        assertThat(replaced.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(rotated.json().get("stillUsingReplaced").findValuesAsText("name"))
                .containsExactly("on-old");
        assertThat(audit("delegate-token.rotated"))
                .singleElement()
                .satisfies(e -> assertThat(e.detail()).contains("successor=ecs-prod-r2 graceSeconds=3600"));

        assertThat(delegate("on-new", successor).register().status()).isEqualTo(200);
        assertThat(onOld.heartbeat().status()).as("the grace period").isEqualTo(200);
        assertThat(api.get("/api/v1/delegate-tokens/" + old.get("id").asText() + "/delegates")
                        .json()
                        .get("delegates")
                        .findValuesAsText("name"))
                .containsExactly("on-old");

        clock.advance(Duration.ofMinutes(61));
        TestHttp.Response afterGrace = delegate("on-old", old).register();
        assertThat(afterGrace.status()).isEqualTo(401);
        assertThat(afterGrace.json().get("code").asText()).isEqualTo(ProblemCodes.TOKEN_EXPIRED);
        assertThat(afterGrace.json().get("detail").asText()).contains("was rotated and its grace period ended");
        assertThat(delegate("on-new-2", successor).register().status()).isEqualTo(200);
    }

    @Test
    void rotationRefusesBadGraceRotatedRevokedUnknownTokensAndViewers() {
        JsonNode token = create(Map.of("name", "t"));
        String path = "/api/v1/delegate-tokens/" + token.get("id").asText() + "/rotate";
        manager.seedAccount("acct-other", "odk_other-viewer-0123456789", Role.VIEWER, null);
        manager.seedAccount(TestManager.ACCOUNT_ID, "odk_test-viewer-0123456789", Role.VIEWER, null);

        TestHttp.Response negative = api.post(path, Map.of("graceSeconds", -1));
        TestHttp.Response tooLong = api.post(path, Map.of("graceSeconds", 2_592_001));
        TestHttp.Response viewer = manager.api("odk_test-viewer-0123456789").post(path, Map.of());
        TestHttp.Response otherAccount = manager.api("odk_other-viewer-0123456789")
                .get("/api/v1/delegate-tokens/" + token.get("id").asText());
        TestHttp.Response unknown = api.post("/api/v1/delegate-tokens/nope/rotate", Map.of());
        assertThat(tokenCount()).isEqualTo(2);

        assertThat(negative.status()).isEqualTo(400);
        assertThat(negative.json().get("detail").asText()).contains("`graceSeconds` is -1; it must be from 0");
        assertThat(fieldErrors(tooLong)).containsExactly("graceSeconds");
        assertThat(viewer.status()).isEqualTo(403);
        assertThat(otherAccount.status()).isEqualTo(404);
        assertThat(unknown.status()).isEqualTo(404);

        assertThat(api.post(path, Map.of()).status()).isEqualTo(201);
        TestHttp.Response twice = api.post(path, Map.of());
        assertThat(twice.status()).isEqualTo(409);
        assertThat(twice.json().get("code").asText()).isEqualTo("ALREADY_ROTATED");
        assertThat(twice.json().get("detail").asText()).contains("rotated already, to `t-r2`");

        JsonNode revoked = create(Map.of("name", "gone"));
        api.post("/api/v1/delegate-tokens/" + revoked.get("id").asText() + "/revoke", Map.of());
        TestHttp.Response rotateRevoked =
                api.post("/api/v1/delegate-tokens/" + revoked.get("id").asText() + "/rotate", Map.of());
        assertThat(rotateRevoked.status()).isEqualTo(409);
        assertThat(rotateRevoked.json().get("code").asText()).isEqualTo("ALREADY_REVOKED");
    }

    @Test
    void aDownloadRefusesAPickedTokenThatIsSingleUseOrRotated() {
        String singleUse =
                create(Map.of("name", "one", "singleUse", true)).get("id").asText();
        String rotated = create(Map.of("name", "old")).get("id").asText();
        api.post("/api/v1/delegate-tokens/" + rotated + "/rotate", Map.of());
        String ssm = "arn:aws:ssm:us-east-1:123456789012:parameter/opendelegate/ecs-token";

        TestHttp.Response withSingleUse = api.post(
                "/api/v1/installers/ecs",
                Map.of("delegateGroupName", "ecs-a", "awsVpcMode", true, "tokenId", singleUse, "tokenSecretArn", ssm));
        TestHttp.Response withRotated = api.post(
                "/api/v1/installers/ecs",
                Map.of("delegateGroupName", "ecs-b", "awsVpcMode", true, "tokenId", rotated, "tokenSecretArn", ssm));

        assertThat(withSingleUse.status()).isEqualTo(400);
        assertThat(withSingleUse.json().get("detail").asText()).contains("single-use token `one`");
        assertThat(withRotated.status()).isEqualTo(400);
        assertThat(withRotated.json().get("detail").asText()).contains("was rotated");
    }

    private JsonNode create(Map<String, Object> body) {
        TestHttp.Response r = api.post("/api/v1/delegate-tokens", body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    private FakeDelegate delegate(String name, JsonNode token) {
        return manager.delegate(
                name, "g", TestManager.ACCOUNT_ID, token.get("token").asText());
    }

    private JsonNode tokenById(JsonNode token) {
        return api.get("/api/v1/delegate-tokens/" + token.get("id").asText()).json();
    }

    private int tokenCount() {
        return api.get("/api/v1/delegate-tokens").json().get("tokens").size();
    }

    private List<String> delegateNames() {
        List<String> names = new ArrayList<>();
        api.get("/api/v1/delegates")
                .json()
                .get("delegates")
                .forEach(d -> names.add(d.get("name").asText()));
        return names;
    }

    private static List<String> fieldErrors(TestHttp.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        return r.json().get("errors").findValuesAsText("field");
    }

    private List<AuditEvent> refusals() {
        return audit("delegate.refused");
    }

    private List<AuditEvent> audit(String action) {
        try (Database db = Database.open(manager.server().config().store())) {
            return new AuditDao(db.jdbi())
                    .list(TestManager.ACCOUNT_ID, 500).stream()
                            .filter(e -> e.action().equals(action))
                            .toList();
        }
    }
}
