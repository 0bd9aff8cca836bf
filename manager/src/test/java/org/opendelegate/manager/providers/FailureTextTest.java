package org.opendelegate.manager.providers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FailureTextTest {
    private static final String CHAIN = "Unable to load credentials from any of the providers in the chain"
            + " AwsCredentialsProviderChain(credentialsProviders=[SystemPropertyCredentialsProvider(),"
            + " EnvironmentVariableCredentialsProvider(), ProfileCredentialsProvider(profileName=default)])";

    @Test
    void theSdksTextGoesToTheDetailsAndTheSentenceStaysReadable() {
        FailureText text = FailureText.of("Testing `aws-prod` failed on delegate `ecs-1`: this delegate has no AWS"
                + " credentials for sts:GetCallerIdentity (" + CHAIN + "). No other eligible delegate could try it.");

        assertThat(text.sentence())
                .isEqualTo("Testing `aws-prod` failed on delegate `ecs-1`: this delegate has no AWS credentials for"
                        + " sts:GetCallerIdentity. No other eligible delegate could try it.");
        assertThat(text.details()).isEqualTo(CHAIN);
    }

    @Test
    void whatAwsSaidIsADetailAndAShortAsideStaysInTheSentence() {
        FailureText said = FailureText.of("access denied: ec2:DescribeVpcs for arn:aws:sts::1:assumed-role/r/s"
                + " (AWS said: You are not authorized to perform this operation.)");
        FailureText aside = FailureText.of("no connected delegate has selector `gpu` (it ran on ecs-1).");

        assertThat(said.sentence()).isEqualTo("access denied: ec2:DescribeVpcs for arn:aws:sts::1:assumed-role/r/s");
        assertThat(said.details()).isEqualTo("AWS said: You are not authorized to perform this operation.");
        assertThat(aside.sentence()).isEqualTo("no connected delegate has selector `gpu` (it ran on ecs-1).");
        assertThat(aside.details()).isNull();
    }

    @Test
    void sdkTextCutShortWithParenthesesLeftOpenIsStillADetail() {
        String cut = CHAIN.substring(0, 150) + "...";
        FailureText text =
                FailureText.of("this delegate has no AWS credentials for sts:GetCallerIdentity (" + cut + ")");

        assertThat(text.sentence()).isEqualTo("this delegate has no AWS credentials for sts:GetCallerIdentity");
        assertThat(text.details()).isEqualTo(cut);
    }
}
