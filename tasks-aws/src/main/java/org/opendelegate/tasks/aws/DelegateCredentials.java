package org.opendelegate.tasks.aws;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * The delegate's own AWS credentials: the SDK's default chain (environment, shared files, web identity, the
 * ECS container credentials endpoint, the EC2 instance metadata service), created on the first AWS task and
 * kept for the life of the process so that refreshed role credentials are reused rather than fetched again
 * for every task.
 */
final class DelegateCredentials {
    private DelegateCredentials() {}

    static AwsCredentialsProvider provider() {
        return Holder.PROVIDER;
    }

    private static final class Holder {
        static final AwsCredentialsProvider PROVIDER =
                DefaultCredentialsProvider.builder().build();
    }
}
