package org.opendelegate.delegate.session;

import java.time.Duration;
import java.util.function.Supplier;
import org.opendelegate.delegate.client.Backoff;
import org.opendelegate.delegate.client.FailureKind;
import org.opendelegate.delegate.client.ManagerCallException;
import org.opendelegate.delegate.client.ManagerClient;
import org.opendelegate.delegate.client.Retrier;
import org.opendelegate.delegate.health.HealthState;
import org.opendelegate.delegate.stop.DelegateStopping;
import org.opendelegate.delegate.stop.ExitCode;
import org.opendelegate.delegate.stop.StopSignal;
import org.opendelegate.delegate.time.Sleeper;
import org.opendelegate.protocol.RegisterRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the session: registers at start, registers again when the Manager no longer knows the session,
 * and turns fatal answers into a stop. Every loop hands its failures to {@link #recover}, so the
 * delegate reacts to a given answer the same way whichever call got it.
 */
public final class SessionKeeper {
    private static final Logger LOG = LoggerFactory.getLogger(SessionKeeper.class);

    private final ManagerClient client;
    private final Supplier<RegisterRequest> registration;
    private final StopSignal stopSignal;
    private final HealthState health;
    private final Sleeper sleeper;
    private volatile Session current;
    // Once the delegate token is refused as already used (single-use), registrations present the session
    // credential of the current session instead.
    private volatile boolean tokenUsedUp;

    /**
     * @param registration the registration to send now, with the tasks this process holds leases on
     */
    public SessionKeeper(
            ManagerClient client,
            Supplier<RegisterRequest> registration,
            StopSignal stopSignal,
            HealthState health,
            Sleeper sleeper) {
        this.client = client;
        this.registration = registration;
        this.stopSignal = stopSignal;
        this.health = health;
        this.sleeper = sleeper;
    }

    /** The current session; null before the first registration. */
    public Session current() {
        return current;
    }

    /** Registers, retrying while the Manager is unreachable; throws when it refuses for good. */
    public synchronized Session register() throws DelegateStopping, InterruptedException {
        Retrier retrier = new Retrier(Backoff.standard(), sleeper);
        while (true) {
            // A graceful stop still registers again to deliver outcomes; only a first registration gives up.
            if (stopSignal.isRequested() && (current == null || stopSignal.exitCode() != ExitCode.OK)) {
                throw new DelegateStopping(stopSignal.exitCode(), "stopping before registration finished");
            }
            health.beat();
            RegisterRequest request;
            try {
                request = registration.get();
            } catch (IllegalStateException e) {
                // IAM registration could not sign its AWS identity proof (no credentials or region).
                throw stop(ExitCode.CONFIG, e.getMessage());
            }
            Session previous = current;
            boolean withSession = tokenUsedUp && previous != null;
            try {
                Session session = Session.from(
                        withSession ? client.registerAgain(request, previous.sessionId()) : client.register(request),
                        request.name());
                current = session;
                health.registered(session.delegateId());
                return session;
            } catch (ManagerCallException e) {
                switch (e.kind()) {
                    case TOKEN_ALREADY_USED -> {
                        if (previous == null || withSession) {
                            throw fatal(e);
                        }
                        LOG.info("The single-use delegate token was used; registering again with the session");
                        tokenUsedUp = true;
                    }
                    // A refused session credential at registration: no way back in.
                    case UNAUTHORIZED, SESSION_REPLACED, UNKNOWN_SESSION -> throw fatal(e);
                    case REJECTED ->
                        throw stop(
                                ExitCode.CONFIG,
                                "The Manager rejected the registration (" + e.answer()
                                        + "); fix the setting it names and start the delegate again");
                    default -> retrier.pause("Registering", e);
                }
            }
        }
    }

    /** Registers again if {@code stale} is still the current session (another loop may have done it). */
    public synchronized void renew(Session stale) throws DelegateStopping, InterruptedException {
        if (!stale.equals(current)) {
            return;
        }
        LOG.warn(
                "The Manager no longer knows session {} (it may have restarted or lost its state); registering"
                        + " again with the tasks this delegate holds",
                stale.sessionId());
        Session session = register();
        LOG.info("Registered again as delegate {} (session {})", session.delegateId(), session.sessionId());
    }

    /**
     * Reacts to a failed call made under {@code seen}: re-registers for an unknown session, stops for a
     * refused token or a replaced session, and otherwise waits out the backoff so the caller can retry.
     */
    public void recover(String what, ManagerCallException failure, Session seen, Retrier retrier)
            throws DelegateStopping, InterruptedException {
        recover(what, failure, seen, retrier, Backoff.CAP);
    }

    /** Like {@link #recover(String, ManagerCallException, Session, Retrier)}, waiting at most {@code atMost}. */
    public void recover(String what, ManagerCallException failure, Session seen, Retrier retrier, Duration atMost)
            throws DelegateStopping, InterruptedException {
        if (failure.kind() == FailureKind.UNKNOWN_SESSION) {
            renew(seen);
        } else if (failure.kind() == FailureKind.SESSION_REPLACED && !seen.equals(current)) {
            // This process registered again while the call was on its way with the old session: the
            // Manager calls that "replaced", but the replacement is us. Carry on with the new session.
            LOG.debug("{} used session {}, which this delegate has since replaced; retrying", what, seen.sessionId());
        } else if (failure.kind() == FailureKind.UNAUTHORIZED || failure.kind() == FailureKind.SESSION_REPLACED) {
            throw fatal(failure);
        } else {
            retrier.pause(what, failure, atMost);
        }
    }

    private DelegateStopping fatal(ManagerCallException failure) {
        boolean running = current != null;
        if (failure.kind() == FailureKind.SESSION_REPLACED) {
            return stop(
                    ExitCode.REPLACED,
                    "Another delegate process registered with this delegate's identity and"
                            + " replaced it (" + failure.answer()
                            + "). To run several delegates on one host, give each its"
                            + " own DELEGATE_NAME."
                            + (running ? " Stopping: no new work, draining running tasks." : ""));
        }
        return stop(
                ExitCode.UNAUTHORIZED,
                "The Manager refused the delegate's credentials for account " + client.accountId() + " ("
                        + failure.answer() + "); check ACCOUNT_ID and DELEGATE_TOKEN (with DELEGATE_AUTHENTICATION=IAM:"
                        + " the task role and the identities the group trusts)"
                        + (running
                                ? " (the token may have been revoked). Stopping: no new work; running tasks are stopped"
                                        + " at once, the Manager reroutes them."
                                : ""));
    }

    private DelegateStopping stop(ExitCode code, String message) {
        if (stopSignal.request(code, message)) {
            LOG.error(message);
        }
        return new DelegateStopping(code, message);
    }
}
