package org.opendelegate.protocol;

import java.util.List;

/**
 * A delegate introduces itself. Sent at start and again whenever the Manager no longer knows the
 * session (for example after the Manager lost its state). A delegate with the same group and name
 * comes back as the same delegate.
 *
 * @param instanceId random id of this delegate process, new at every start
 * @param name the delegate name (the delegate computes it: {@code DELEGATE_NAME}, container id or host name)
 * @param groupName the delegate group; created on first use
 * @param profileName the delegate profile name ({@code Primary} by default)
 * @param selectors the delegate's own selectors from {@code DELEGATE_SELECTORS}
 * @param type how the delegate was installed
 * @param launchType for ECS delegates {@code EC2}, {@code FARGATE} or {@code EXTERNAL}; otherwise null
 * @param identityKind whether the name survives restarts
 * @param hostname the host name the process sees
 * @param ip the delegate's primary non-loopback address, if any
 * @param version the delegate's software version
 * @param capacity how many tasks it runs at once
 * @param taskTypes the task types it can run
 * @param ecs ECS task metadata, or null outside ECS
 * @param runningTaskIds tasks this process is running right now; any other task the Manager believes
 *     this delegate holds is no longer running and can be rerouted at once
 * @param awsIdentity for IAM registration (no delegate token): a presigned {@code sts:GetCallerIdentity}
 *     request that proves the delegate's AWS identity; null when the delegate presents a token
 */
public record RegisterRequest(
        String instanceId,
        String name,
        String groupName,
        String profileName,
        List<String> selectors,
        DelegateType type,
        String launchType,
        IdentityKind identityKind,
        String hostname,
        String ip,
        String version,
        int capacity,
        List<String> taskTypes,
        EcsIdentity ecs,
        List<String> runningTaskIds,
        SignedStsRequest awsIdentity) {

    /** A registration with a delegate token (no AWS identity proof). */
    public RegisterRequest(
            String instanceId,
            String name,
            String groupName,
            String profileName,
            List<String> selectors,
            DelegateType type,
            String launchType,
            IdentityKind identityKind,
            String hostname,
            String ip,
            String version,
            int capacity,
            List<String> taskTypes,
            EcsIdentity ecs,
            List<String> runningTaskIds) {
        this(
                instanceId,
                name,
                groupName,
                profileName,
                selectors,
                type,
                launchType,
                identityKind,
                hostname,
                ip,
                version,
                capacity,
                taskTypes,
                ecs,
                runningTaskIds,
                null);
    }

    /** The same registration carrying an AWS identity proof. */
    public RegisterRequest withAwsIdentity(SignedStsRequest proof) {
        return new RegisterRequest(
                instanceId,
                name,
                groupName,
                profileName,
                selectors,
                type,
                launchType,
                identityKind,
                hostname,
                ip,
                version,
                capacity,
                taskTypes,
                ecs,
                runningTaskIds,
                proof);
    }
}
