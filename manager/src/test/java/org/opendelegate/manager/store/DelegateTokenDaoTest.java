package org.opendelegate.manager.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opendelegate.manager.security.Secrets;
import org.opendelegate.manager.testing.TestDatabases;
import org.opendelegate.manager.testing.TestDatabases.TestStore;
import org.opendelegate.protocol.DelegateType;
import org.opendelegate.protocol.IdentityKind;

/**
 * The token lifecycle in the store, on embedded H2 and PostgreSQL: a single-use token is consumed once
 * however many registrations race for it, a token is rotated once, and the delegates that count against
 * a token's limit are the connected ones registered with it.
 */
class DelegateTokenDaoTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final int RACERS = 8;

    private TestStore store;
    private DelegateTokenDao tokens;
    private DelegateDao delegates;
    private DelegateGroupDao groups;

    static Stream<String> stores() {
        return Stream.of("h2", "postgres");
    }

    private void open(String kind) {
        store = kind.equals("h2") ? TestDatabases.h2() : TestDatabases.postgres();
        var jdbi = store.database().jdbi();
        new AccountDao(jdbi).insert(new Account("a1", "Account one", T0));
        tokens = new DelegateTokenDao(jdbi);
        delegates = new DelegateDao(jdbi);
        groups = new DelegateGroupDao(jdbi);
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void ofRegistrationsRacingForASingleUseTokenExactlyOneConsumesIt(String kind) throws Exception {
        open(kind);
        ExecutorService pool = Executors.newFixedThreadPool(RACERS);
        try {
            for (int round = 0; round < 10; round++) {
                DelegateToken token = token("once-" + round, true);
                CyclicBarrier start = new CyclicBarrier(RACERS);
                List<Future<Boolean>> wins = new ArrayList<>();
                for (int i = 0; i < RACERS; i++) {
                    String delegateId = "d" + i;
                    Callable<Boolean> consume = () -> {
                        start.await(10, TimeUnit.SECONDS);
                        return tokens.consume(token.id(), delegateId, T0);
                    };
                    wins.add(pool.submit(consume));
                }
                int won = 0;
                for (Future<Boolean> win : wins) {
                    won += win.get(30, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertThat(won).as("round %d", round).isEqualTo(1);
                DelegateToken used = tokens.find("a1", token.id()).orElseThrow();
                assertThat(used.usedAt()).isEqualTo(T0);
                assertThat(used.usedBy()).startsWith("d");
            }
            DelegateToken multiUse = token("many", false);
            assertThat(tokens.consume(multiUse.id(), "d1", T0)).isFalse();
            assertThat(tokens.find("a1", multiUse.id()).orElseThrow().used()).isFalse();
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void aTokenIsRotatedOnceAndKeepsAnEarlierExpiry(String kind) {
        open(kind);
        DelegateToken old = token("old", false);

        assertThat(tokens.rotate(successor(old, "new"), Secrets.hash("new"), T0.plusSeconds(60)))
                .isTrue();
        assertThat(tokens.rotate(successor(old, "newer"), Secrets.hash("newer"), T0.plusSeconds(60)))
                .isFalse();

        DelegateToken rotated = tokens.find("a1", old.id()).orElseThrow();
        assertThat(rotated.expiresAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(tokens.findByName("a1", "newer")).isEmpty();
        DelegateToken next = tokens.findByName("a1", "new").orElseThrow();
        assertThat(rotated.replacedBy()).isEqualTo(next.id());
        assertThat(next.replaces()).isEqualTo(old.id());
        assertThat(tokens.rotate(successor(next, "third"), Secrets.hash("third"), T0.plusSeconds(3600)))
                .isTrue();
        DelegateToken stillEarly = tokens.find("a1", next.id()).orElseThrow();
        assertThat(stillEarly.expiresAt()).as("an earlier expiry stays").isEqualTo(T0.plusSeconds(1800));
    }

    @ParameterizedTest
    @MethodSource("stores")
    void onlyConnectedDelegatesOfTheTokenCount(String kind) {
        open(kind);
        DelegateToken token = token("counted", false);
        DelegateToken other = token("other", false);
        DelegateGroup g = groups.getOrCreate("a1", "g", T0);
        delegates.insert(delegate("live", g, token.id(), T0.plusSeconds(100)));
        delegates.insert(delegate("me", g, token.id(), T0.plusSeconds(100)));
        delegates.insert(delegate("silent", g, token.id(), T0));
        delegates.insert(delegate("elsewhere", g, other.id(), T0.plusSeconds(100)));
        Delegate gone = delegate("gone", g, token.id(), T0.plusSeconds(100));
        delegates.insert(gone);
        delegates.markDisconnected(gone.id(), gone.sessionId(), T0.plusSeconds(100), "deregistered");
        String me = delegates.findByIdentity("a1", g.id(), "me").orElseThrow().id();

        assertThat(tokens.connectedDelegates("a1", token.id(), T0.plusSeconds(50), me))
                .isEqualTo(1);
        assertThat(tokens.connectedDelegates("a1", token.id(), T0.plusSeconds(50), ""))
                .isEqualTo(2);
        assertThat(tokens.connectedDelegatesByToken("a1", T0.plusSeconds(50)))
                .containsExactlyInAnyOrderEntriesOf(Map.of(token.id(), 2, other.id(), 1));
        assertThat(tokens.usersOf("a1", token.id()))
                .extracting(DelegateTokenDao.TokenUser::name)
                .containsExactly("gone", "live", "me", "silent");
    }

    private DelegateToken token(String name, boolean singleUse) {
        DelegateToken token = new DelegateToken(
                Secrets.newId(),
                "a1",
                name,
                null,
                "test",
                T0,
                null,
                null,
                null,
                null,
                singleUse,
                null,
                null,
                null,
                null);
        tokens.insert(token, Secrets.hash(name));
        return token;
    }

    private static DelegateToken successor(DelegateToken old, String name) {
        return new DelegateToken(
                Secrets.newId(),
                old.accountId(),
                name,
                old.groupId(),
                "test",
                T0,
                null,
                null,
                T0.plusSeconds(1800),
                null,
                false,
                null,
                null,
                null,
                old.id());
    }

    private static Delegate delegate(String name, DelegateGroup g, String tokenId, Instant lastHeartbeat) {
        return new Delegate(
                Secrets.newId(),
                g.accountId(),
                g.id(),
                name,
                "host",
                "10.0.0.1",
                DelegateType.SHELL,
                null,
                IdentityKind.STABLE,
                "0.1.0",
                "Primary",
                List.of(),
                List.of("echo"),
                1,
                null,
                tokenId,
                "instance-" + name,
                Secrets.newId(),
                T0,
                T0,
                lastHeartbeat,
                null,
                null);
    }
}
