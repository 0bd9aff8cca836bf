package org.opendelegate.delegate.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.time.Duration;
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
 */
public final class ManagerClient {
    /** Read timeout for calls the Manager answers at once. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(15);
    /** Added to the poll wait for the read timeout, so a slow answer is not mistaken for a dead Manager. */
    static final Duration POLL_MARGIN = Duration.ofSeconds(10);

    // Readers are made on first use: building all of them up front would delay the first registration.
    private static final ObjectWriter WRITER = ProtocolJson.mapper().writer();

    private final HttpTransport transport;

    public ManagerClient(HttpTransport transport) {
        this.transport = transport;
    }

    /** The account the calls are made for ({@code ACCOUNT_ID}). */
    public String accountId() {
        return transport.accountId();
    }

    /** Introduces the delegate; returns its ids and the pace of the conversation. */
    public RegisterResponse register(RegisterRequest request) throws ManagerCallException {
        return call(DelegateApiPaths.REGISTER, request, RegisterResponse.class, READ_TIMEOUT, null);
    }

    /** Says the delegate is alive; returns tasks to cancel or forget. */
    public HeartbeatResponse heartbeat(HeartbeatRequest request) throws ManagerCallException {
        return call(DelegateApiPaths.HEARTBEAT, request, HeartbeatResponse.class, READ_TIMEOUT, null);
    }

    /** Long-polls for work; the Manager holds the call up to {@code pollWait}. {@code abort} ends it early. */
    public PollResponse poll(PollRequest request, Duration pollWait, AbortHandle abort) throws ManagerCallException {
        return call(DelegateApiPaths.POLL, request, PollResponse.class, pollWait.plus(POLL_MARGIN), abort);
    }

    /** Sends a task's new log lines; renews its lease. */
    public TaskProgressResponse progress(String taskId, TaskProgress progress) throws ManagerCallException {
        return call(DelegateApiPaths.taskProgress(taskId), progress, TaskProgressResponse.class, READ_TIMEOUT, null);
    }

    /** Delivers finished tasks' outcomes; the answer says, per outcome, what the Manager did with it. */
    public OutcomeReportResponse outcomes(OutcomeReport report) throws ManagerCallException {
        return call(DelegateApiPaths.OUTCOMES, report, OutcomeReportResponse.class, READ_TIMEOUT, null);
    }

    /** Reports how a profile run goes, with its new output lines. */
    public ProfileRunResponse profileRun(ProfileRunReport report) throws ManagerCallException {
        return call(DelegateApiPaths.PROFILE_RUN, report, ProfileRunResponse.class, READ_TIMEOUT, null);
    }

    /** Says goodbye, with a short timeout: a shutdown must not hang on it. */
    public void deregister(DeregisterRequest request, Duration timeout) throws ManagerCallException {
        call(DelegateApiPaths.DEREGISTER, request, null, timeout, null);
    }

    private <T> T call(String path, Object body, Class<T> answerType, Duration timeout, AbortHandle abort)
            throws ManagerCallException {
        HttpReply reply;
        try {
            reply = transport.post(path, bytes(body), timeout, abort);
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
