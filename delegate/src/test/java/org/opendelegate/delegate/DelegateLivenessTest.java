package org.opendelegate.delegate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.opendelegate.delegate.client.HttpTransport;
import org.opendelegate.delegate.client.ManagerClient;
import org.opendelegate.delegate.config.ConfigParser;
import org.opendelegate.delegate.ecs.DelegateIdentity;
import org.opendelegate.delegate.stop.ExitCode;
import org.opendelegate.delegate.tasks.EchoHandler;
import org.opendelegate.delegate.time.Sleeper;
import org.opendelegate.protocol.IdentityKind;
import org.opendelegate.testkit.FakeManager;

/** Liveness over time, with a clock the test moves. */
class DelegateLivenessTest {

    /** A clock that runs with real time plus an offset the test can add to. */
    static final class ShiftedClock extends Clock {
        final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset.get());
        }
    }

    @Test
    void anIdleConnectedDelegateStaysLiveLongAfterItRegistered() throws Exception {
        try (FakeManager manager = new FakeManager()) {
            ShiftedClock clock = new ShiftedClock();
            var config = ConfigParser.parse(RunningDelegate.env(manager));
            Delegate delegate = new Delegate(
                    config,
                    new DelegateIdentity("test-delegate", IdentityKind.STABLE, "test-host", null, null, null),
                    new ManagerClient(new HttpTransport(manager.url(), Proxy.NO_PROXY, "token-1", "acc-1", "test")),
                    List.of(new EchoHandler()),
                    () -> {
                        throw new AssertionError("a delegate with a token signs no AWS identity proof");
                    },
                    "test",
                    clock,
                    Sleeper.SYSTEM,
                    RandomGenerator.getDefault(),
                    Instant.now());
            CompletableFuture<ExitCode> exit = CompletableFuture.supplyAsync(delegate::run);
            await().atMost(Duration.ofSeconds(10)).until(() -> delegate.health().ready());

            // Past the two minutes a silent thread may last; the loops keep beating, nothing else is watched.
            clock.offset.set(Delegate.STALE_LOOP.plusSeconds(10));

            await().atMost(Duration.ofSeconds(10)).until(() -> delegate.health().live());
            delegate.requestStop("SIGTERM");
            assertThat(exit.get()).isEqualTo(ExitCode.OK);
        }
    }
}
