package org.opendelegate.delegate.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.opendelegate.delegate.client.HttpTransport;
import org.opendelegate.delegate.client.ManagerClient;
import org.opendelegate.delegate.health.HealthState;
import org.opendelegate.delegate.profile.ProfileKeeper;
import org.opendelegate.delegate.profile.ProfileRunner;
import org.opendelegate.delegate.run.Outbox;
import org.opendelegate.delegate.run.TaskRunner;
import org.opendelegate.delegate.session.SessionKeeper;
import org.opendelegate.delegate.stop.StopSignal;
import org.opendelegate.delegate.time.Sleeper;
import org.opendelegate.protocol.DelegateApiPaths;
import org.opendelegate.protocol.DelegateType;
import org.opendelegate.protocol.IdentityKind;
import org.opendelegate.protocol.RegisterRequest;
import org.opendelegate.testkit.FakeManager;

/** The heartbeat loop's pace, with an injected sleeper instead of real waits. */
class HeartbeatLoopTest {

    /** Records each requested sleep without sleeping, and ends the loop after {@code limit} sleeps. */
    static final class RecordingSleeper implements Sleeper {
        final List<Duration> sleeps = new CopyOnWriteArrayList<>();
        private final int limit;

        RecordingSleeper(int limit) {
            this.limit = limit;
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            sleeps.add(duration);
            if (sleeps.size() >= limit) {
                throw new InterruptedException("enough");
            }
        }
    }

    /** A heartbeat loop with a session registered at {@code manager}, sleeping through {@code sleeper}. */
    private static HeartbeatLoop registeredLoop(FakeManager manager, RecordingSleeper sleeper, HealthState health)
            throws Exception {
        ManagerClient client = new ManagerClient(new HttpTransport(manager.url(), Proxy.NO_PROXY, "t", "a", "test"));
        TaskRunner runner =
                new TaskRunner(Map.of(), 1, new Outbox(() -> {}), Clock.systemUTC(), () -> "d", () -> {}, () -> {});
        SessionKeeper sessions = new SessionKeeper(
                client,
                () -> new RegisterRequest(
                        "i",
                        "n",
                        "g",
                        "Primary",
                        List.of(),
                        DelegateType.SHELL,
                        null,
                        IdentityKind.STABLE,
                        "h",
                        null,
                        "test",
                        1,
                        List.of(),
                        null,
                        runner.heldTaskIds()),
                new StopSignal(),
                health,
                sleeper);
        sessions.register();
        LoopContext context =
                new LoopContext(client, sessions, runner, health, new StopSignal(), sleeper, Clock.systemUTC());
        return new HeartbeatLoop(
                context,
                RandomGenerator.of("L64X128MixRandom"),
                new ProfileKeeper(
                        new ProfileRunner(Path.of("target"), Clock.systemUTC(), () -> {}), Clock.systemUTC()));
    }

    @Test
    void heartbeatsWaitTheServerSetIntervalWithTenPercentJitterAndFollowChanges() throws Exception {
        try (FakeManager manager = new FakeManager()) {
            manager.heartbeatIntervalMillis = 10_000;
            RecordingSleeper sleeper = new RecordingSleeper(20);
            HealthState health = new HealthState(Clock.systemUTC(), Duration.ofMinutes(2));
            HeartbeatLoop loop = registeredLoop(manager, sleeper, health);

            manager.heartbeatIntervalMillis = 4_000; // the answers to heartbeats change the pace
            loop.run();

            List<Duration> sleeps = sleeper.sleeps;
            assertThat(sleeps).hasSize(20);
            assertThat(sleeps.get(0)).isBetween(Duration.ofSeconds(9), Duration.ofSeconds(11));
            assertThat(sleeps.subList(1, sleeps.size()))
                    .allSatisfy(d -> assertThat(d).isBetween(Duration.ofMillis(3_600), Duration.ofMillis(4_400)));
            assertThat(sleeps.stream().distinct().count())
                    .as("jittered, not fixed")
                    .isGreaterThan(5);
            assertThat(manager.calls(DelegateApiPaths.HEARTBEAT)).hasSize(19);
            assertThat(health.isConnected()).isTrue();
        }
    }

    @Test
    void whileTheManagerIsDownHeartbeatsAreRetriedAtLeastOncePerInterval() throws Exception {
        try (FakeManager manager = new FakeManager()) {
            manager.heartbeatIntervalMillis = 1_000;
            RecordingSleeper sleeper = new RecordingSleeper(25);
            HealthState health = new HealthState(Clock.systemUTC(), Duration.ofMinutes(2));
            HeartbeatLoop loop = registeredLoop(manager, sleeper, health);
            manager.down();

            loop.run();

            // The first sleep is the interval before the first beat; every later one follows a refused
            // connection. The standard backoff would reach 16 s by the eighth failure; a Manager back after
            // a restart would then count the delegate as gone before it heard from it.
            assertThat(sleeper.sleeps.subList(1, sleeper.sleeps.size()))
                    .allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofMillis(1_100)));
            assertThat(health.isConnected()).isFalse();
        }
    }
}
