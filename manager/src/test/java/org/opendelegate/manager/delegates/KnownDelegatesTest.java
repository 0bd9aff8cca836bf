package org.opendelegate.manager.delegates;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opendelegate.manager.security.Secrets;
import org.opendelegate.manager.store.Account;
import org.opendelegate.manager.store.AccountDao;
import org.opendelegate.manager.store.Delegate;
import org.opendelegate.manager.store.DelegateDao;
import org.opendelegate.manager.store.DelegateGroup;
import org.opendelegate.manager.store.DelegateGroupDao;
import org.opendelegate.manager.store.DelegateProfileDao;
import org.opendelegate.manager.store.ProfileRunDao;
import org.opendelegate.manager.testing.TestDatabases;
import org.opendelegate.manager.testing.TestDatabases.TestStore;
import org.opendelegate.protocol.DelegateType;
import org.opendelegate.protocol.IdentityKind;

/**
 * {@link KnownDelegates#syncLiveness()} on a real store, embedded H2 and PostgreSQL: what another replica
 * wrote (a heartbeat, a registration, a goodbye, a removal) reaches this view from the liveness columns
 * alone, and a heartbeat heard here later than the store's is kept.
 */
class KnownDelegatesTest {
    private static final Instant T0 = Instant.parse("2026-12-05T07:00:00Z");
    private static final Duration WINDOW = Duration.ofSeconds(30);

    private TestStore store;
    private DelegateDao delegates;
    private KnownDelegates known;
    private DelegateGroup group;

    static Stream<String> stores() {
        return Stream.of("h2", "postgres");
    }

    private void open(String kind) {
        store = kind.equals("h2") ? TestDatabases.h2() : TestDatabases.postgres();
        var jdbi = store.database().jdbi();
        new AccountDao(jdbi).insert(new Account("a1", "Account one", T0));
        delegates = new DelegateDao(jdbi);
        DelegateGroupDao groups = new DelegateGroupDao(jdbi);
        group = groups.getOrCreate("a1", "g", T0);
        known = new KnownDelegates(
                delegates, groups, new ProfileBook(new DelegateProfileDao(jdbi), new ProfileRunDao(jdbi)));
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void whatAnotherReplicaWroteReachesTheViewFromTheLivenessColumns(String kind) {
        open(kind);
        Delegate heardElsewhere = delegate("heard-elsewhere", "s1", 4);
        Delegate reRegistered = delegate("re-registered", "s1", 4);
        Delegate saidGoodbye = delegate("said-goodbye", "s1", 4);
        Delegate removed = delegate("removed", "s1", 4);
        List.of(heardElsewhere, reRegistered, saidGoodbye, removed).forEach(delegates::insert);
        known.reload();

        // Another replica heard one delegate, registered another anew (a new session, now with 8 slots),
        // wrote the goodbye of a third and removed a fourth; a fifth registered there.
        delegates.heartbeat(
                heardElsewhere.id(),
                "s1",
                T0.plusSeconds(20),
                T0.plusSeconds(20).minus(WINDOW));
        delegates.updateRegistration(reRegistered.inNewSession("s2", 8, T0.plusSeconds(10)));
        delegates.markDisconnected(saidGoodbye.id(), "s1", T0.plusSeconds(5), "deregistered");
        delegates.delete("a1", removed.id());
        Delegate newcomer = delegate("newcomer", "s1", 4);
        delegates.insert(newcomer);

        known.syncLiveness();

        assertThat(known.get(heardElsewhere.id()).orElseThrow().delegate().lastHeartbeatAt())
                .isEqualTo(T0.plusSeconds(20));
        Delegate registered = known.get(reRegistered.id()).orElseThrow().delegate();
        assertThat(registered.sessionId()).isEqualTo("s2");
        assertThat(registered.capacity())
                .as("the new session's row is read whole")
                .isEqualTo(8);
        assertThat(known.get(saidGoodbye.id()).orElseThrow().delegate().disconnectReason())
                .isEqualTo("deregistered");
        assertThat(known.all()).extracting(ResolvedDelegate::id).doesNotContain(removed.id());
        assertThat(known.all()).extracting(ResolvedDelegate::id).contains(newcomer.id());
    }

    @ParameterizedTest
    @MethodSource("stores")
    void aHeartbeatHeardHereLaterThanTheStoresIsKept(String kind) {
        open(kind);
        Delegate d = delegate("d", "s1", 4);
        delegates.insert(d);
        known.reload();

        known.heartbeat(d.id(), T0.plusSeconds(40), WINDOW);
        delegates.heartbeat(d.id(), "s1", T0.plusSeconds(20), T0.plusSeconds(20).minus(WINDOW));
        known.syncLiveness();

        assertThat(known.get(d.id()).orElseThrow().delegate().lastHeartbeatAt())
                .as("the store's older heartbeat never moves this replica's back")
                .isEqualTo(T0.plusSeconds(40));
    }

    private Delegate delegate(String name, String session, int capacity) {
        return new Delegate(
                Secrets.newId(),
                "a1",
                group.id(),
                name,
                "host",
                "10.0.0.1",
                DelegateType.ECS,
                "FARGATE",
                IdentityKind.EPHEMERAL,
                "0.1.0",
                "Primary",
                List.of("a"),
                List.of("echo"),
                capacity,
                null,
                null,
                "i1",
                session,
                T0,
                T0,
                T0,
                null,
                null);
    }
}
