package org.opendelegate.tasks.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import org.junit.jupiter.api.Test;
import org.opendelegate.protocol.ErrorKind;
import org.opendelegate.spi.TaskFailure;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

class AwsFailuresTest {
    private static final String ROLE = "arn:aws:sts::123456789012:assumed-role/delegate/task-1";
    private static final AwsTaskInput DELEGATE_ROLE =
            new AwsTaskInput("us-east-1", AwsTaskInput.Mode.DELEGATE_IAM_ROLE, null, null, null);
    private static final AwsTaskInput ACCESS_KEY =
            new AwsTaskInput("us-east-1", AwsTaskInput.Mode.ACCESS_KEY, "AKIAEXAMPLE", null, null);

    private static AwsServiceException aws(String code, int status, String message) {
        return AwsServiceException.builder()
                .statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode(code)
                        .errorMessage(message)
                        .build())
                .build();
    }

    private static TaskFailure classify(Throwable e, AwsTaskInput input) {
        return AwsFailures.classify(e, "ec2:DescribeSubnets", ROLE, input, "https://ec2.us-east-1.amazonaws.com");
    }

    @Test
    void accessDeniedNamesTheCallAndThePrincipalAndAnotherDelegateMightSucceed() {
        TaskFailure f = classify(
                aws("UnauthorizedOperation", 403, "You are not authorized to perform this operation."), DELEGATE_ROLE);

        assertThat(f.kind()).isEqualTo(ErrorKind.CAPABILITY);
        assertThat(f.getMessage())
                .isEqualTo("access denied: ec2:DescribeSubnets for " + ROLE
                        + " (AWS said: You are not authorized to perform this operation.)");
    }

    @Test
    void expiredAndInvalidCredentialsOfTheDelegateAreCapabilityFailures() {
        TaskFailure expired = classify(
                aws("ExpiredToken", 400, "The security token included in the request is expired"), DELEGATE_ROLE);
        TaskFailure invalid =
                classify(aws("InvalidClientTokenId", 403, "The security token is invalid."), DELEGATE_ROLE);

        assertThat(expired.kind()).isEqualTo(ErrorKind.CAPABILITY);
        assertThat(expired.getMessage())
                .startsWith("the credentials of this delegate expired (ExpiredToken on " + "ec2:DescribeSubnets)");
        assertThat(invalid.kind()).isEqualTo(ErrorKind.CAPABILITY);
        assertThat(invalid.getMessage()).startsWith("the credentials of this delegate are invalid");
    }

    @Test
    void aBadAccessKeyOfTheProviderFailsTheTaskSinceEveryDelegateWouldFailTheSameWay() {
        TaskFailure invalid =
                classify(aws("AuthFailure", 401, "AWS was not able to validate the credentials."), ACCESS_KEY);
        TaskFailure denied = classify(aws("AccessDenied", 403, "denied"), ACCESS_KEY);

        assertThat(invalid.kind()).isEqualTo(ErrorKind.TASK);
        assertThat(invalid.getMessage()).startsWith("the access key AKIAEXAMPLE of this cloud provider is invalid");
        assertThat(denied.kind()).isEqualTo(ErrorKind.TASK);
        assertThat(denied.getMessage()).startsWith("access denied: ec2:DescribeSubnets for " + ROLE);
    }

    @Test
    void anUnreachableEndpointOrMissingCredentialsIsACapabilityFailure() {
        TaskFailure down = classify(
                SdkClientException.builder()
                        .message("Unable to execute HTTP request: Connection " + "refused")
                        .cause(new ConnectException("Connection refused"))
                        .build(),
                DELEGATE_ROLE);
        TaskFailure none = classify(
                SdkClientException.create("Unable to load credentials from any of the providers "
                        + "in the chain AwsCredentialsProviderChain(...)"),
                DELEGATE_ROLE);

        assertThat(down.kind()).isEqualTo(ErrorKind.CAPABILITY);
        assertThat(down.getMessage())
                .isEqualTo("cannot reach https://ec2.us-east-1.amazonaws.com for "
                        + "ec2:DescribeSubnets: ConnectException: Connection refused");
        assertThat(none.kind()).isEqualTo(ErrorKind.CAPABILITY);
        assertThat(none.getMessage())
                .startsWith("this delegate has no AWS credentials for ec2:DescribeSubnets: in ECS "
                        + "give its task definition a task role");
    }

    @Test
    void whatAwsRefusesAboutTheRequestAndLastingThrottlingFailTheTask() {
        TaskFailure invalid =
                classify(aws("InvalidVpcID.NotFound", 400, "The vpc ID 'vpc-nope' does not exist"), DELEGATE_ROLE);
        TaskFailure throttled = classify(aws("RequestLimitExceeded", 503, "Request limit exceeded."), DELEGATE_ROLE);

        assertThat(invalid.kind()).isEqualTo(ErrorKind.TASK);
        assertThat(invalid.getMessage())
                .isEqualTo("ec2:DescribeSubnets was refused: InvalidVpcID.NotFound (AWS said: "
                        + "The vpc ID 'vpc-nope' does not exist)");
        assertThat(throttled.kind()).isEqualTo(ErrorKind.TASK);
        assertThat(throttled.getMessage()).startsWith("AWS kept throttling ec2:DescribeSubnets (RequestLimitExceeded)");
    }
}
