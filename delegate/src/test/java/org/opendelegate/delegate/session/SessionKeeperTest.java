package org.opendelegate.delegate.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opendelegate.delegate.client.Backoff;
import org.opendelegate.delegate.client.HttpTransport;
import org.opendelegate.delegate.client.ManagerCallException;
import org.opendelegate.delegate.client.ManagerClient;
import org.opendelegate.delegate.client.Retrier;
import org.opendelegate.delegate.health.HealthState;
import org.opendelegate.delegate.stop.DelegateStopping;
import org.opendelegate.delegate.stop.ExitCode;
import org.opendelegate.delegate.stop.StopSignal;
import org.opendelegate.protocol.DelegateApiPaths;
import org.opendelegate.protocol.DelegateType;
import org.opendelegate.protocol.HeartbeatRequest;
import org.opendelegate.protocol.IdentityKind;
import org.opendelegate.protocol.ProblemCodes;
import org.opendelegate.protocol.RegisterRequest;
import org.opendelegate.testkit.FakeManager;

class SessionKeeperTest {
    private FakeManager manager;
    private ManagerClient client;
    private final StopSignal stopSignal = new StopSignal();
    private SessionKeeper sessions;

    @BeforeEach
    void setUp() throws Exception {
        manager = new FakeManager();
        client = new ManagerClient(new HttpTransport(manager.url(), Proxy.NO_PROXY, "t", "acc-1", "test"));
        sessions = new SessionKeeper(
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
                        List.of()),
                stopSignal,
                new HealthState(Clock.systemUTC(), Duration.ofMinutes(2)),
                d -> {});
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private ManagerCallException replacedAnswer(Session session) {
        manager.refuse(DelegateApiPaths.HEARTBEAT, 409, ProblemCodes.SESSION_REPLACED, "another process took over");
        return catchThrowableOfType(
                ManagerCallException.class,
                () -> client.heartbeat(new HeartbeatRequest(session.delegateId(), session.sessionId(), List.of())));
    }

    @Test
    void aReplacedAnswerToACallWithAnOldSessionOfOursIsNotFatal() throws Exception {
        Session old = sessions.register();
        Session renewed = sessions.register();

        sessions.recover("Heartbeat", replacedAnswer(old), old, new Retrier(Backoff.standard(), d -> {}));

        assertThat(sessions.current()).isSameAs(renewed);
        assertThat(stopSignal.isRequested()).isFalse();
    }

    @Test
    void aReplacedAnswerToTheCurrentSessionStopsTheDelegateWithExitCode4() throws Exception {
        Session current = sessions.register();

        assertThatThrownBy(() -> sessions.recover(
                        "Heartbeat", replacedAnswer(current), current, new Retrier(Backoff.standard(), d -> {})))
                .isInstanceOfSatisfying(
                        DelegateStopping.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.REPLACED));
        assertThat(stopSignal.exitCode()).isEqualTo(ExitCode.REPLACED);
        assertThat(stopSignal.reason()).contains("DELEGATE_NAME");
    }

    @Test
    void anUnknownSessionRegistersAgainOnceEvenWhenSeveralLoopsReportIt() throws Exception {
        Session old = sessions.register();
        manager.forgetSessions();
        ManagerCallException unknown = catchThrowableOfType(
                ManagerCallException.class,
                () -> client.heartbeat(new HeartbeatRequest(old.delegateId(), old.sessionId(), List.of())));
        Retrier retrier = new Retrier(Backoff.standard(), d -> {});

        sessions.recover("Heartbeat", unknown, old, retrier);
        sessions.recover("Polling for work", unknown, old, retrier);

        assertThat(manager.calls(DelegateApiPaths.REGISTER)).hasSize(2);
        assertThat(sessions.current().sessionId()).isEqualTo("s-2");
    }
}
