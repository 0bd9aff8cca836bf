package org.opendelegate.delegate.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.opendelegate.protocol.ProblemCodes;

class FailureClassifierTest {

    private static HttpReply problem(int status, String code, String detail) {
        String body = "{\"type\":\"about:blank\",\"title\":\"t\",\"status\":" + status + ",\"detail\":\"" + detail
                + "\",\"code\":\"" + code + "\",\"newField\":1}";
        return new HttpReply(status, "application/problem+json", null, null, body.getBytes(StandardCharsets.UTF_8));
    }

    private static HttpReply plain(int status, String retryAfter) {
        return new HttpReply(
                status, "text/html", retryAfter, null, "<h1>Bad Gateway</h1>".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void networkFailuresAreRetryableAndSayWhatHappened() {
        assertThat(FailureClassifier.fromIo(new ConnectException("Connection refused"))
                        .describe())
                .isEqualTo("Manager unreachable (connection refused)");
        assertThat(FailureClassifier.fromIo(new SocketException("Connection reset"))
                        .describe())
                .isEqualTo("Manager unreachable (connection reset)");
        assertThat(FailureClassifier.fromIo(new SocketTimeoutException("Read timed out"))
                        .describe())
                .isEqualTo("Manager unreachable (read timed out)");
        assertThat(FailureClassifier.fromIo(new IOException("boom")).kind()).isEqualTo(FailureKind.RETRYABLE);
    }

    @Test
    void busyOrRestartingManagersAreRetryable() {
        for (int status : new int[] {408, 429, 500, 502, 503, 504}) {
            assertThat(FailureClassifier.fromReply(plain(status, null)).kind())
                    .as("HTTP %d", status)
                    .isEqualTo(FailureKind.RETRYABLE);
        }
        ManagerCallException busy = FailureClassifier.fromReply(plain(503, "7"));
        assertThat(busy.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(busy.describe()).isEqualTo("Manager unavailable (HTTP 503: <h1>Bad Gateway</h1>)");
    }

    @Test
    void refusedTokensAreUnauthorizedWithTheManagersDetail() {
        ManagerCallException refused =
                FailureClassifier.fromReply(problem(401, ProblemCodes.UNAUTHORIZED, "token revoked"));

        assertThat(refused.kind()).isEqualTo(FailureKind.UNAUTHORIZED);
        assertThat(refused.answer()).isEqualTo("HTTP 401: token revoked");
        assertThat(FailureClassifier.fromReply(plain(403, null)).kind()).isEqualTo(FailureKind.UNAUTHORIZED);
        assertThat(FailureClassifier.fromReply(problem(400, ProblemCodes.UNSUPPORTED_PROTOCOL, "upgrade"))
                        .kind())
                .isEqualTo(FailureKind.UNAUTHORIZED);
    }

    @Test
    void problemCodesDecideOverStatuses() {
        assertThat(FailureClassifier.fromReply(problem(404, ProblemCodes.UNKNOWN_SESSION, "x"))
                        .kind())
                .isEqualTo(FailureKind.UNKNOWN_SESSION);
        assertThat(FailureClassifier.fromReply(problem(410, ProblemCodes.UNKNOWN_SESSION, "x"))
                        .kind())
                .isEqualTo(FailureKind.UNKNOWN_SESSION);
        assertThat(FailureClassifier.fromReply(problem(409, ProblemCodes.SESSION_REPLACED, "x"))
                        .kind())
                .isEqualTo(FailureKind.SESSION_REPLACED);
        assertThat(FailureClassifier.fromReply(problem(409, ProblemCodes.LEASE_LOST, "x"))
                        .kind())
                .isEqualTo(FailureKind.LEASE_LOST);
    }

    @Test
    void otherClientErrorsAndRedirectsAreRejected() {
        assertThat(FailureClassifier.fromReply(problem(422, ProblemCodes.INVALID_REQUEST, "bad profile"))
                        .kind())
                .isEqualTo(FailureKind.REJECTED);
        assertThat(FailureClassifier.fromReply(plain(404, null)).kind()).isEqualTo(FailureKind.REJECTED);
        ManagerCallException redirect = FailureClassifier.fromReply(
                new HttpReply(301, null, null, "https://manager.example.com/api", new byte[0]));
        assertThat(redirect.kind()).isEqualTo(FailureKind.REJECTED);
        assertThat(redirect.describe()).contains("redirect to https://manager.example.com/api");
    }
}
