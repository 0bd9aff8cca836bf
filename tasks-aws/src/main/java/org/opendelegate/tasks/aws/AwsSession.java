package org.opendelegate.tasks.aws;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.opendelegate.spi.TaskContext;
import org.opendelegate.spi.TaskFailure;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The AWS side of one task: the credentials it acts with (the delegate's own default chain, or the
 * provider's access key, with the cross-account role assumed on top), who that is, the SDK clients, and
 * the call log. Every call goes through {@link #call}, which classifies failures once, and {@link #record},
 * which writes "ec2:DescribeSubnets as arn:... (region us-east-1): 1,024 subnets" to the task log.
 */
final class AwsSession implements AutoCloseable {
    private final TaskContext context;
    private final AwsTaskInput input;
    private final Region region;
    private final SdkHttpClient http;
    private final List<SdkAutoCloseable> clients = new ArrayList<>();
    private final ArrayNode calls = JsonNodeFactory.instance.arrayNode();
    private AwsCredentialsProvider credentials;
    private String principal;
    private String account;
    private String userId;
    private StsClient sts;

    private AwsSession(TaskContext context, AwsTaskInput input) {
        this.context = context;
        this.input = input;
        this.region = Region.of(input.region());
        this.http = AwsClientSettings.httpClient();
        this.principal = input.credentialsDescription();
    }

    /** Learns who the credentials belong to and assumes the cross-account role, if any. */
    static AwsSession open(TaskContext context, AwsTaskInput input) throws TaskFailure, InterruptedException {
        AwsSession session = new AwsSession(context, input);
        try {
            session.credentials = session.baseCredentials();
            GetCallerIdentityResponse me =
                    session.call("sts", "GetCallerIdentity", () -> session.sts().getCallerIdentity());
            session.principal = me.arn();
            session.account = me.account();
            session.userId = me.userId();
            session.record("sts", "GetCallerIdentity", 1, -1, "account " + me.account());
            if (input.roleArn() != null) {
                session.assumeRole();
            }
            return session;
        } catch (TaskFailure | InterruptedException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    String principal() {
        return principal;
    }

    String account() {
        return account;
    }

    String userId() {
        return userId;
    }

    Region region() {
        return region;
    }

    /** The credentials this session acts with, for a call the SDK has no client for. */
    AwsCredentialsIdentity credentialsIdentity() {
        return credentials.resolveCredentials();
    }

    /** The HTTP client of this session's SDK clients. */
    SdkHttpClient httpClient() {
        return http;
    }

    TaskContext context() {
        return context;
    }

    ArrayNode calls() {
        return calls;
    }

    StsClient sts() {
        if (sts == null) {
            sts = build(StsClient.builder(), region);
        }
        return sts;
    }

    Ec2Client ec2() {
        return build(Ec2Client.builder(), region);
    }

    EcsClient ecs() {
        return build(EcsClient.builder(), region);
    }

    /** IAM is global: its region is the partition's global one. */
    IamClient iam() {
        String name = region.id();
        Region global = name.startsWith("cn-")
                ? Region.AWS_CN_GLOBAL
                : name.startsWith("us-gov-") ? Region.AWS_US_GOV_GLOBAL : Region.AWS_GLOBAL;
        return build(IamClient.builder(), global);
    }

    /**
     * Runs one AWS call (or a paginator to its end) and classifies what it throws.
     *
     * @param service e.g. {@code ec2}, for messages and the endpoint
     * @param action e.g. {@code DescribeSubnets}
     */
    <T> T call(String service, String action, Callable<T> body) throws TaskFailure, InterruptedException {
        try {
            return body.call();
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted() || context.isCancelled() || e instanceof AbortedException) {
                throw new InterruptedException("the task was stopped during " + service + ":" + action);
            }
            throw AwsFailures.classify(
                    e,
                    service + ":" + action,
                    principal,
                    input,
                    AwsClientSettings.describeEndpoint(service, region.id()));
        } catch (TaskFailure | InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw TaskFailure.task(service + ":" + action + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Runs a paged call through {@link #call} to its last page, handing each page to {@code each}.
     *
     * @param pages the SDK's paginator, which calls AWS as it is iterated
     * @return how many pages there were
     */
    <P> int pages(String service, String action, Supplier<? extends Iterable<P>> pages, Consumer<P> each)
            throws TaskFailure, InterruptedException {
        return call(service, action, () -> {
            int n = 0;
            for (P page : pages.get()) {
                n++;
                each.accept(page);
            }
            return n;
        });
    }

    /**
     * Logs a finished call and keeps it for the result.
     *
     * @param count how many items it returned, or -1 to show {@code what} alone
     * @param what the noun of the items ("subnets"), or what the call found
     */
    void record(String service, String action, int pages, int count, String what) {
        String found =
                count < 0 ? what : NumberFormat.getIntegerInstance(Locale.ROOT).format(count) + " " + what;
        context.log(service + ":" + action + " as " + principal + " (region " + region.id() + "): " + found
                + (pages > 1 ? " in " + pages + " pages" : ""));
        var entry = calls.addObject()
                .put("call", service + ":" + action)
                .put("principal", principal)
                .put("region", region.id())
                .put("pages", pages);
        if (count >= 0) {
            entry.put("count", count);
        }
    }

    @Override
    public void close() {
        clients.forEach(SdkAutoCloseable::close);
        http.close();
    }

    private AwsCredentialsProvider baseCredentials() throws TaskFailure {
        if (input.mode() == AwsTaskInput.Mode.DELEGATE_IAM_ROLE) {
            return DelegateCredentials.provider();
        }
        String secret = AwsTaskInput.text(context.secrets(), "secretAccessKey");
        if (secret == null) {
            throw TaskFailure.task("the task carries no secret access key for " + input.accessKeyId()
                    + "; edit the cloud provider and enter it again");
        }
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(input.accessKeyId(), secret));
    }

    private void assumeRole() throws TaskFailure, InterruptedException {
        String base = principal;
        AssumeRoleResponse assumed = call(
                "sts",
                "AssumeRole",
                () -> sts().assumeRole(r -> {
                    r.roleArn(input.roleArn()).roleSessionName(sessionName()).durationSeconds(900);
                    if (input.externalId() != null) {
                        r.externalId(input.externalId());
                    }
                }));
        Credentials c = assumed.credentials();
        credentials = StaticCredentialsProvider.create(
                AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()));
        principal = assumed.assumedRoleUser().arn();
        userId = assumed.assumedRoleUser().assumedRoleId();
        String roleAccount = principal.split(":").length > 4 ? principal.split(":")[4] : null;
        account = roleAccount == null || roleAccount.isEmpty() ? account : roleAccount;
        context.log("sts:AssumeRole as " + base + " (region " + region.id() + "): now acting as " + principal
                + (input.externalId() == null ? "" : " (with external id)"));
        calls.addObject()
                .put("call", "sts:AssumeRole")
                .put("principal", base)
                .put("region", region.id())
                .put("pages", 1)
                .put("assumed", principal);
        sts = null; // the next STS client acts with the assumed role; the old one is closed with the session
    }

    private String sessionName() {
        String id = context.taskId().replaceAll("[^\\w+=,.@-]", "");
        String name = "opendelegate-" + id;
        return name.length() > 64 ? name.substring(0, 64) : name;
    }

    private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C extends SdkAutoCloseable> C build(
            B builder, Region clientRegion) {
        C client = builder.region(clientRegion)
                .credentialsProvider(credentials)
                .httpClient(http)
                .overrideConfiguration(AwsClientSettings.overrides(context.deadline()))
                .build();
        clients.add(client);
        return client;
    }
}
