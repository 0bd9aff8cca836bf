package org.opendelegate.delegate.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.opendelegate.protocol.DelegateApiPaths;
import org.opendelegate.protocol.DeregisterRequest;
import org.opendelegate.protocol.HeartbeatRequest;
import org.opendelegate.protocol.HeartbeatResponse;
import org.opendelegate.protocol.OutcomeReport;
import org.opendelegate.protocol.OutcomeReportResponse;
import org.opendelegate.protocol.PollRequest;
import org.opendelegate.protocol.PollResponse;
import org.opendelegate.protocol.ProfileRunReport;
import org.opendelegate.protocol.ProfileRunResponse;
import org.opendelegate.protocol.ProtocolJson;
import org.opendelegate.protocol.RegisterRequest;
import org.opendelegate.protocol.RegisterResponse;
import org.opendelegate.protocol.TaskProgress;
import org.opendelegate.protocol.TaskProgressResponse;

/**
 * The Manager's delegate API, one method per endpoint. Each call either returns the Manager's answer or
 * throws a {@link ManagerCallException} already classified by {@link FailureClassifier}; what to do
 * about a failure is the caller's decision. Thread-safe.
 *
 * <p>Registration presents the delegate token; the answer's session credential is kept here, by session
 * id, and every later call presents the credential of the session its body names, so a call and its
 * credential always belong to the same registration.
 */
public final class ManagerClient {
    /** Read timeout for calls the Manager answers at once. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(15);
    /** Added to the poll wait for the read timeout, so a slow answer is not mistaken for a dead Manager. */
    static final Duration POLL_MARGIN = Duration.ofSeconds(10);

    // Readers are made on first use: building all of them up front would delay the first registration.
    private static final ObjectWriter WRITER = ProtocolJson.mapper().writer();

    /** Sessions whose credential is kept: the current one and a few before, for calls still on their way. */
    private static final int KEPT_SESSIONS = 4;

    private final HttpTransport transport;
    private final Map<String, String> sessionCredentials = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > KEPT_SESSIONS;
        }
    });

    public ManagerClient(HttpTransport transport) {
        this.transport = transport;
    }

    /** The account the calls are made for ({@code ACCOUNT_ID}). */
    public String accountId() {
        return transport.accountId();
    }

    /** Introduces the delegate; returns its ids and the pace of the conversation. */
    public RegisterResponse register(RegisterRequest request) throws ManagerCallException {
        return registerWith(request, transport.token());
    }

    /**
     * Registers again with the credential of session {@code sessionId} instead of the delegate token: the way
     * back in for a delegate whose single-use token was spent on its first registration.
     */
    public RegisterResponse registerAgain(RegisterRequest request, String sessionId) throws ManagerCallException {
        return registerWith(request, credentialOf(sessionId));
    }

    private RegisterResponse registerWith(RegisterRequest request, String credential) throws ManagerCallException {
        RegisterResponse answer =
                send(DelegateApiPaths.REGISTER, request, RegisterResponse.class, READ_TIMEOUT, null, credential);
        if (answer.sessionToken() != null) {
            sessionCredentials.put(answer.sessionId(), answer.sessionToken());
        }
        return answer;
    }

    /** Says the delegate is alive; returns tasks to cancel or forget. */
    public HeartbeatResponse heartbeat(HeartbeatRequest request) throws ManagerCallException {
        return sessionCall(
                DelegateApiPaths.HEARTBEAT, request, HeartbeatResponse.class, READ_TIMEOUT, null, request.sessionId());
    }

    /** Long-polls for work; the Manager holds the call up to {@code pollWait}. {@code abort} ends it early. */
    public PollResponse poll(PollRequest request, Duration pollWait, AbortHandle abort) throws ManagerCallException {
        return sessionCall(
                DelegateApiPaths.POLL,
                request,
                PollResponse.class,
                pollWait.plus(POLL_MARGIN),
                abort,
                request.sessionId());
    }

    /** Sends a task's new log lines; renews its lease. */
    public TaskProgressResponse progress(String taskId, TaskProgress progress) throws ManagerCallException {
        return sessionCall(
                DelegateApiPaths.taskProgress(taskId),
                progress,
                TaskProgressResponse.class,
                READ_TIMEOUT,
                null,
                progress.sessionId());
    }

    /** Delivers finished tasks' outcomes; the answer says, per outcome, what the Manager did with it. */
    public OutcomeReportResponse outcomes(OutcomeReport report) throws ManagerCallException {
        return sessionCall(
                DelegateApiPaths.OUTCOMES, report, OutcomeReportResponse.class, READ_TIMEOUT, null, report.sessionId());
    }

    /** Reports how a profile run goes, with its new output lines. */
    public ProfileRunResponse profileRun(ProfileRunReport report) throws ManagerCallException {
        return sessionCall(
                DelegateApiPaths.PROFILE_RUN, report, ProfileRunResponse.class, READ_TIMEOUT, null, report.sessionId());
    }

    /** Says goodbye, with a short timeout: a shutdown must not hang on it. */
    public void deregister(DeregisterRequest request, Duration timeout) throws ManagerCallException {
        sessionCall(DelegateApiPaths.DEREGISTER, request, null, timeout, null, request.sessionId());
    }

    /** The credential of a session; the delegate token for a session this client did not register. */
    private String credentialOf(String sessionId) {
        String credential = sessionId == null ? null : sessionCredentials.get(sessionId);
        return credential != null ? credential : transport.token();
    }

    /** A call of a session: it presents the credential of the session its body names. */
    private <T> T sessionCall(
            String path, Object body, Class<T> answerType, Duration timeout, AbortHandle abort, String sessionId)
            throws ManagerCallException {
        return send(path, body, answerType, timeout, abort, credentialOf(sessionId));
    }

    private <T> T send(
            String path, Object body, Class<T> answerType, Duration timeout, AbortHandle abort, String credential)
            throws ManagerCallException {
        HttpReply reply;
        try {
            reply = transport.post(path, bytes(body), timeout, abort, credential);
        } catch (IOException e) {
            throw FailureClassifier.fromIo(e);
        }
        if (!reply.isSuccess()) {
            throw FailureClassifier.fromReply(reply);
        }
        if (answerType == null) {
            return null;
        }
        try {
            T answer = ProtocolJson.tolerantReader().forType(answerType).readValue(reply.body());
            if (answer == null) {
                throw new IOException("empty answer");
            }
            return answer;
        } catch (IOException e) {
            throw FailureClassifier.badBody(reply, e);
        }
    }

    private static byte[] bytes(Object body) {
        try {
            return WRITER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + body.getClass().getSimpleName() + " as JSON", e);
        }
    }
}
