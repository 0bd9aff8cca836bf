package org.opendelegate.tasks.aws;

import java.io.IOException;
import java.util.Set;
import org.opendelegate.spi.TaskFailure;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Turns whatever an AWS call threw into one {@link TaskFailure} a person can act on, classified once:
 * <ul>
 *   <li>denied, expired or invalid credentials: {@code CAPABILITY} when they are the delegate's own (another
 *       delegate with another role might succeed), {@code TASK} when they are the cloud provider's access key
 *       (every delegate would fail the same way);</li>
 *   <li>an endpoint that cannot be reached, or no credentials at all: {@code CAPABILITY} (another delegate in
 *       another network might succeed);</li>
 *   <li>everything AWS refused about the request itself (bad region, unknown id), throttling that outlasted the
 *       retries, AWS's own errors: {@code TASK}.</li>
 * </ul>
 * Messages name the call and the principal; they never carry a secret (AWS error messages do not).
 */
final class AwsFailures {
    static final Set<String> ACCESS_DENIED = Set.of(
            "AccessDenied",
            "AccessDeniedException",
            "UnauthorizedOperation",
            "UnauthorizedAccess",
            "AuthorizationError",
            "AuthorizationErrorException",
            "NotAuthorized");
    static final Set<String> EXPIRED =
            Set.of("ExpiredToken", "ExpiredTokenException", "RequestExpired", "TokenRefreshRequired");
    static final Set<String> INVALID = Set.of(
            "InvalidClientTokenId",
            "UnrecognizedClientException",
            "SignatureDoesNotMatch",
            "AuthFailure",
            "InvalidAccessKeyId",
            "IncompleteSignature",
            "MissingAuthenticationToken",
            "InvalidToken");

    private AwsFailures() {}

    /**
     * @param call e.g. {@code ec2:DescribeSubnets}
     * @param principal the ARN acting, or a description when not known yet
     * @param endpoint where the call went, for "cannot reach" messages
     */
    static TaskFailure classify(Throwable e, String call, String principal, AwsTaskInput input, String endpoint) {
        boolean ownKey = input.mode() == AwsTaskInput.Mode.ACCESS_KEY;
        if (e instanceof AwsServiceException service) {
            return classifyService(service, call, principal, input, ownKey);
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return TaskFailure.capability(
                    "cannot reach " + endpoint + " for " + call + ": no answer in time (" + e.getMessage() + ")", e);
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof SdkClientException && message.startsWith("Unable to load credentials")) {
            return TaskFailure.capability(
                    "this delegate has no AWS credentials for " + call + ": in ECS give its task "
                            + "definition a task role, on EC2 an instance profile, or set AWS_ACCESS_KEY_ID and "
                            + "AWS_SECRET_ACCESS_KEY (" + firstLine(message) + ")",
                    e);
        }
        IOException io = ioCause(e);
        if (io != null) {
            String why = io.getMessage() == null
                    ? io.getClass().getSimpleName()
                    : io.getClass().getSimpleName() + ": " + io.getMessage();
            return TaskFailure.capability("cannot reach " + endpoint + " for " + call + ": " + why, e);
        }
        return TaskFailure.task(call + " failed: " + firstLine(message), e);
    }

    private static TaskFailure classifyService(
            AwsServiceException e, String call, String principal, AwsTaskInput input, boolean ownKey) {
        AwsErrorDetails details = e.awsErrorDetails();
        String code = details == null || details.errorCode() == null ? "" : details.errorCode();
        String said = details == null || details.errorMessage() == null
                ? ""
                : " (AWS said: " + firstLine(details.errorMessage()) + ")";
        String message;
        if (ACCESS_DENIED.contains(code)
                || (e.statusCode() == 403 && !EXPIRED.contains(code) && !INVALID.contains(code))) {
            message = "access denied: " + call + " for " + principal + said;
        } else if (EXPIRED.contains(code)) {
            message = (ownKey
                            ? "the credentials of " + input.credentialsDescription() + " expired"
                            : "the credentials of this delegate expired")
                    + " (" + code + " on " + call + ")" + said;
        } else if (INVALID.contains(code)) {
            message = (ownKey
                            ? input.credentialsDescription() + " is invalid"
                            : "the credentials of this delegate are invalid")
                    + " (" + code + " on " + call + ")" + said;
        } else if (e.isThrottlingException()) {
            return TaskFailure.task(
                    "AWS kept throttling " + call + " (" + code + ") after the retries; try again in a" + " moment"
                            + said,
                    e);
        } else {
            return TaskFailure.task(
                    call + " was refused: " + (code.isEmpty() ? "HTTP " + e.statusCode() : code) + said, e);
        }
        return ownKey ? TaskFailure.task(message, e) : TaskFailure.capability(message, e);
    }

    private static IOException ioCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException io) {
                return io;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    private static String firstLine(String text) {
        String line = text.lines().findFirst().orElse("").trim();
        return line.length() > 500 ? line.substring(0, 497) + "..." : line;
    }
}
