package org.opendelegate.manager.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.testing.ConsoleBrowser;
import org.opendelegate.manager.testing.TestManager;
import org.opendelegate.manager.users.SignInThrottle;
import org.opendelegate.testkit.MutableClock;

/** Sign-in, sessions and their expiry, and the slowing down of guessing, on a Manager whose clock the test moves. */
class ConsoleSignInHttpTest {
    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));
    private static TestManager manager;

    @BeforeAll
    static void start() {
        manager = TestManager.start(Map.of("OPENDELEGATE_SESSION_IDLE_TIMEOUT", "30m"), CLOCK);
        assertThat(manager.api()
                        .post(
                                "/api/v1/users",
                                Map.of("username", "slow", "role", "VIEWER", "password", "slow-but-steady-42"))
                        .status())
                .isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    @Test
    void signingInSetsAHardenedSessionCookieAndSigningOutEndsTheSession() {
        ConsoleBrowser browser = manager.browser();
        ConsoleBrowser.Page login = browser.get("/login").expectStatus(200);
        assertThat(login.setCookies())
                .anySatisfy(c ->
                        assertThat(c).startsWith("od_signin=").contains("HttpOnly", "SameSite=Strict", "Path=/login"));

        ConsoleBrowser.Page signedIn =
                browser.signIn("Admin", TestManager.ADMIN_PASSWORD).expectStatus(303);

        assertThat(signedIn.header("Location")).isEqualTo("/setup/delegates");
        String cookie = signedIn.setCookies().stream()
                .filter(c -> c.startsWith("od_session="))
                .findFirst()
                .orElseThrow();
        assertThat(cookie).contains("HttpOnly", "SameSite=Lax", "Path=/").doesNotContain("Secure", "Max-Age");
        assertThat(browser.cookie("od_session")).hasSizeGreaterThanOrEqualTo(43);
        assertThat(browser.get("/setup/delegates").expectStatus(200).body()).contains("<h1>Delegates</h1>", "admin");

        String token = browser.csrfToken();
        assertThat(browser.post("/logout", Map.of("_csrf", token))
                        .expectStatus(303)
                        .header("Location"))
                .isEqualTo("/login?signedOut=1");
        assertThat(browser.get("/setup/delegates").status()).isEqualTo(303);
    }

    @Test
    void behindATlsProxyTheCookieIsSecure() {
        ConsoleBrowser.Page signedIn = manager.browser()
                .signIn("admin", TestManager.ADMIN_PASSWORD, "X-Forwarded-Proto", "https")
                .expectStatus(303);

        assertThat(signedIn.setCookies())
                .filteredOn(c -> c.startsWith("od_session="))
                .singleElement()
                .satisfies(c -> assertThat(c).contains("; Secure"));
    }

    @Test
    void aWrongPasswordAndAnUnknownUserGetTheSameAnswer() {
        ConsoleBrowser.Page wrongPassword = manager.browser().signIn("admin", "not-the-password-at-all");
        ConsoleBrowser.Page unknownUser = manager.browser().signIn("nobody-here", "not-the-password-at-all");

        for (ConsoleBrowser.Page page : new ConsoleBrowser.Page[] {wrongPassword, unknownUser}) {
            assertThat(page.status()).isEqualTo(401);
            assertThat(page.body())
                    .contains("Wrong username or password.")
                    .doesNotContainIgnoringCase("unknown")
                    .doesNotContain("no such user");
            assertThat(page.setCookies()).noneMatch(c -> c.startsWith("od_session="));
        }
    }

    @Test
    void repeatedFailuresForAUsernameAreSlowedDownAndEvenTheRightPasswordWaits() {
        for (int i = 0; i < SignInThrottle.FREE_PER_USERNAME; i++) {
            ConsoleBrowser.Page failed =
                    manager.browser().signIn("slow", "wrong-guess-" + i).expectStatus(401);
            assertThat(failed.header("Retry-After")).isNull();
        }
        ConsoleBrowser.Page fourth =
                manager.browser().signIn("slow", "wrong-guess-4").expectStatus(401);
        assertThat(fourth.header("Retry-After")).isEqualTo("1");

        ConsoleBrowser.Page refused =
                manager.browser().signIn("SLOW", "slow-but-steady-42").expectStatus(429);
        assertThat(refused.header("Retry-After")).isEqualTo("1");
        assertThat(refused.body()).contains("Too many failed sign-ins");

        manager.browser().signIn("slow", "wrong-guess-5").expectStatus(429);
        CLOCK.advance(Duration.ofSeconds(2));
        assertThat(manager.browser()
                        .signIn("slow", "wrong-guess-6")
                        .expectStatus(401)
                        .header("Retry-After"))
                .isEqualTo("2");
        CLOCK.advance(Duration.ofSeconds(3));
        manager.browser().signIn("slow", "slow-but-steady-42").expectStatus(303);
        assertThat(manager.browser()
                        .signIn("slow", "wrong-again")
                        .expectStatus(401)
                        .header("Retry-After"))
                .isNull();
    }

    @Test
    void anIdleSessionEndsButOneInUseLastsAndTheLiveRefreshDoesNotCountAsUse() {
        ConsoleBrowser active = manager.signedInAdmin();
        ConsoleBrowser watching = manager.signedInAdmin();

        CLOCK.advance(Duration.ofMinutes(20));
        active.get("/setup/delegates").expectStatus(200);
        watching.get("/setup/delegates/board", "HX-Request", "true", "X-Console-Live", "1")
                .expectStatus(200);
        CLOCK.advance(Duration.ofMinutes(11));

        assertThat(active.get("/setup/users").status()).isEqualTo(200);
        ConsoleBrowser.Page ended = watching.get("/setup/delegates");
        assertThat(ended.status()).isEqualTo(303);
        assertThat(ended.header("Location")).isEqualTo("/login?next=%2Fsetup%2Fdelegates");
        ConsoleBrowser.Page endedHtmx = watching.get("/setup/delegates/board", "HX-Request", "true");
        assertThat(endedHtmx.status()).isEqualTo(401);
        assertThat(endedHtmx.header("HX-Redirect")).isEqualTo("/login?expired=1");
    }

    @Test
    void aSessionEndsAfterTwelveHoursHoweverActive() {
        ConsoleBrowser browser = manager.signedInAdmin();
        for (int i = 0; i < 24; i++) {
            CLOCK.advance(Duration.ofMinutes(30).minusSeconds(1));
            browser.get("/setup/delegates").expectStatus(200);
        }
        CLOCK.advance(Duration.ofMinutes(1));

        assertThat(browser.get("/setup/delegates").status()).isEqualTo(303);
    }

    @Test
    void theSignInFormNeedsItsOwnTokenAndThisOrigin() {
        ConsoleBrowser noToken = manager.browser();
        ConsoleBrowser.Page refused =
                noToken.post("/login", Map.of("username", "admin", "password", TestManager.ADMIN_PASSWORD));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("sign in again");

        ConsoleBrowser.Page crossSite =
                manager.browser().signIn("admin", TestManager.ADMIN_PASSWORD, "Origin", "https://evil.example");
        assertThat(crossSite.status()).isEqualTo(403);
        assertThat(crossSite.setCookies()).noneMatch(c -> c.startsWith("od_session="));

        manager.browser()
                .signIn("admin", TestManager.ADMIN_PASSWORD, "Origin", manager.url())
                .expectStatus(303);
    }

    @Test
    void afterSignInTheBrowserReturnsToALocalPageOnly() {
        ConsoleBrowser browser = manager.browser();
        String token =
                ConsoleBrowser.formToken(browser.get("/login?next=/setup/users").body());
        ConsoleBrowser.Page local = browser.post(
                "/login",
                Map.of(
                        "_csrf",
                        token,
                        "username",
                        "admin",
                        "password",
                        TestManager.ADMIN_PASSWORD,
                        "next",
                        "/setup/users"));
        assertThat(local.header("Location")).isEqualTo("/setup/users");

        ConsoleBrowser other = manager.browser();
        String token2 = ConsoleBrowser.formToken(other.get("/login").body());
        ConsoleBrowser.Page away = other.post(
                "/login",
                Map.of(
                        "_csrf",
                        token2,
                        "username",
                        "admin",
                        "password",
                        TestManager.ADMIN_PASSWORD,
                        "next",
                        "//evil.example/x"));
        assertThat(away.header("Location")).isEqualTo("/setup/delegates");
    }

    @Test
    void withoutAConfiguredPasswordTheFirstStartGeneratesOneForAdmin() {
        Map<String, String> env = new HashMap<>();
        env.put("OPENDELEGATE_ADMIN_PASSWORD", null);
        try (TestManager fresh = TestManager.start(env)) {
            String generated = fresh.server().bootstrap().adminPassword().orElseThrow();

            assertThat(generated).hasSize(20);
            fresh.browser().signIn("admin", generated).expectStatus(303);
            fresh.browser().signIn("admin", TestManager.ADMIN_PASSWORD).expectStatus(401);
        }
    }
}
