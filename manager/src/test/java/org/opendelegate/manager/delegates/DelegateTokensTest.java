package org.opendelegate.manager.delegates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opendelegate.manager.config.DelegateTimings;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.problems.ProblemKind;
import org.opendelegate.manager.security.Principal;
import org.opendelegate.manager.security.Role;
import org.opendelegate.manager.store.Account;
import org.opendelegate.manager.store.AccountDao;
import org.opendelegate.manager.store.AuditDao;
import org.opendelegate.manager.store.DelegateGroupDao;
import org.opendelegate.manager.store.DelegateTokenDao;
import org.opendelegate.manager.testing.TestDatabases;
import org.opendelegate.manager.testing.TestDatabases.TestStore;
import org.opendelegate.protocol.ProblemCodes;
import org.opendelegate.testkit.MutableClock;

/**
 * {@link DelegateTokens} on a real store, embedded H2 and PostgreSQL: what ends a session
 * ({@link DelegateTokens#requireLive}) and what a rotation leaves behind.
 */
class DelegateTokensTest {
    private static final Instant T0 = Instant.parse("2026-12-04T12:00:00Z");
    private static final Principal ADMIN = new Principal("a1", "user:admin", Role.ADMIN);

    private final MutableClock clock = new MutableClock(T0);
    private TestStore store;
    private DelegateTokens tokens;
    private AuditDao audit;

    static Stream<String> stores() {
        return Stream.of("h2", "postgres");
    }

    private void open(String kind) {
        store = kind.equals("h2") ? TestDatabases.h2() : TestDatabases.postgres();
        var jdbi = store.database().jdbi();
        new AccountDao(jdbi).insert(new Account("a1", "Account one", T0));
        audit = new AuditDao(jdbi);
        DelegateTimings timings = new DelegateTimings(
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                Duration.ofSeconds(20),
                Duration.ofSeconds(60),
                Duration.ofMinutes(10),
                Duration.ofDays(7),
                Duration.ofSeconds(2));
        tokens = new DelegateTokens(
                new DelegateTokenDao(jdbi),
                new DelegateGroupDao(jdbi),
                audit,
                timings,
                clock,
                org.opendelegate.manager.testing.TestLimits.quotas(jdbi, clock));
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void aSessionEndsWhenItsTokenIsRevokedOrExpiresAndNotBefore(String kind) {
        open(kind);
        TokenView expiring =
                tokens.create(ADMIN, new TokenRequest("expiring", null, "2026-12-04T13:00:00Z", null, null));
        TokenView revoked = tokens.create(ADMIN, TokenRequest.of("revoked", null));

        assertThatCode(() -> tokens.requireLive("a1", expiring.id())).doesNotThrowAnyException();
        assertThatCode(() -> tokens.requireLive("a1", null))
                .as("no token behind an IAM session")
                .doesNotThrowAnyException();
        tokens.revoke(ADMIN, revoked.id());
        clock.advance(Duration.ofHours(1));

        DomainProblem revokedProblem = refusal(() -> tokens.requireLive("a1", revoked.id()));
        DomainProblem expiredProblem = refusal(() -> tokens.requireLive("a1", expiring.id()));
        DomainProblem otherAccount = refusal(() -> tokens.requireLive("a2", expiring.id()));

        assertThat(revokedProblem.code()).isEqualTo("TOKEN_REVOKED");
        assertThat(revokedProblem.kind()).isEqualTo(ProblemKind.UNAUTHORIZED);
        assertThat(expiredProblem.code()).isEqualTo(ProblemCodes.TOKEN_EXPIRED);
        assertThat(expiredProblem.kind()).isEqualTo(ProblemKind.UNAUTHORIZED);
        assertThat(otherAccount.kind()).isEqualTo(ProblemKind.UNAUTHORIZED);
        assertThat(audit.list("a1", 50))
                .anyMatch(e -> e.action().equals("delegate.refused")
                        && e.targetId().equals(expiring.id())
                        && e.detail().startsWith("code=TOKEN_EXPIRED"));
    }

    @ParameterizedTest
    @MethodSource("stores")
    void aRotatedTokenLivesUntilTheEndOfItsGraceAndItsSuccessorKeepsItsSettings(String kind) {
        open(kind);
        TokenView old = tokens.create(ADMIN, new TokenRequest("ecs-prod-r7", null, null, 3, true));

        RotationView rotation = tokens.rotate(ADMIN, old.id(), 600L);
        clock.advance(Duration.ofSeconds(599));
        assertThatCode(() -> tokens.requireLive("a1", old.id())).doesNotThrowAnyException();
        clock.advance(Duration.ofSeconds(1));

        assertThat(rotation.token().name()).isEqualTo("ecs-prod-r8");
        assertThat(rotation.token().maxDelegates()).isEqualTo(3);
        assertThat(rotation.token().singleUse()).isTrue();
        assertThat(rotation.token().expiresAt()).isNull();
        assertThat(rotation.replaced().expiresAt()).isEqualTo(T0.plusSeconds(600));
        assertThat(refusal(() -> tokens.requireLive("a1", old.id())).code()).isEqualTo(ProblemCodes.TOKEN_EXPIRED);
        assertThatCode(() -> tokens.requireLive("a1", rotation.token().id())).doesNotThrowAnyException();
        List<TokenView> listed = tokens.list("a1");
        assertThat(listed).extracting(TokenView::status).containsExactly("EXPIRED", "ACTIVE");
    }

    @ParameterizedTest
    @MethodSource("stores")
    void aGraceOfZeroStopsTheOldTokenAtOnce(String kind) {
        open(kind);
        TokenView old = tokens.create(ADMIN, TokenRequest.of("now", null));

        tokens.rotate(ADMIN, old.id(), 0L);

        assertThat(refusal(() -> tokens.requireLive("a1", old.id())).code()).isEqualTo(ProblemCodes.TOKEN_EXPIRED);
    }

    private static DomainProblem refusal(Runnable call) {
        DomainProblem problem = catchThrowableOfType(DomainProblem.class, call::run);
        assertThat(problem).as("refused").isNotNull();
        return problem;
    }
}
