package org.opendelegate.manager.providers;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.opendelegate.manager.cluster.ClusterSignals;
import org.opendelegate.manager.cluster.Signal;
import org.opendelegate.manager.config.ProvidersConfig;
import org.opendelegate.manager.dispatch.TaskService;
import org.opendelegate.manager.dispatch.TaskSource;
import org.opendelegate.manager.dispatch.TaskView;
import org.opendelegate.manager.limits.Quota;
import org.opendelegate.manager.limits.Quotas;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.security.Principal;
import org.opendelegate.manager.security.SecretBox;
import org.opendelegate.manager.security.Secrets;
import org.opendelegate.manager.store.AffinityDao;
import org.opendelegate.manager.store.AuditDao;
import org.opendelegate.manager.store.CloudProvider;
import org.opendelegate.manager.store.CloudProviderDao;
import org.opendelegate.manager.store.Task;
import org.opendelegate.protocol.AwsTaskTypes;

/**
 * Cloud providers: what people see and change (the API and the console both come here), and Test. The
 * secret access key is sealed with the master key the moment it arrives and opened only into a task's
 * sealed secrets; no view, answer, audit line or log carries it.
 */
public final class CloudProviders {
    private final CloudProviderDao dao;
    private final AffinityDao affinity;
    private final AuditDao audit;
    private final SecretBox box;
    private final TaskService tasks;
    private final ProviderUsage usage;
    private final ProviderTasks providerTasks;
    private final LookupCache cache;
    private volatile ClusterSignals cluster = ClusterSignals.local();
    private final ProviderLookups lookups;
    private final Clock clock;
    private final Quotas quotas;

    public CloudProviders(
            CloudProviderDao dao,
            AffinityDao affinity,
            AuditDao audit,
            SecretBox box,
            TaskService tasks,
            ProviderUsage usage,
            ProvidersConfig config,
            Clock clock,
            Quotas quotas) {
        this.quotas = quotas;
        this.dao = dao;
        this.affinity = affinity;
        this.audit = audit;
        this.box = box;
        this.tasks = tasks;
        this.usage = usage;
        this.providerTasks = new ProviderTasks(box);
        this.cache = new LookupCache(clock, config.lookupCacheTtl());
        this.lookups = new ProviderLookups(this, providerTasks, tasks, cache);
        this.clock = clock;
    }

    /** The lookups (regions, clusters, VPCs, ...) of the providers. */
    public ProviderLookups lookups() {
        return lookups;
    }

    public List<ProviderView> list(String accountId) {
        return dao.list(accountId).stream().map(ProviderView::of).toList();
    }

    public ProviderView get(String accountId, String id) {
        return ProviderView.of(find(accountId, id));
    }

    CloudProvider find(String accountId, String id) {
        return dao.find(accountId, id).orElseThrow(() -> DomainProblem.notFound("cloud provider", id));
    }

    public ProviderView create(Principal principal, CloudProviderRequest request) {
        principal.requireAdmin();
        ProviderRules.Valid v = ProviderRules.validate(request, false);
        quotas.requireRoom(Quota.CLOUD_PROVIDERS, principal.accountId(), principal.actor(), v.name());
        String id = Secrets.newId();
        Instant now = clock.instant();
        CloudProvider p = new CloudProvider(
                id,
                principal.accountId(),
                v.name(),
                "AWS",
                v.region(),
                v.credentialsType(),
                v.selectors(),
                v.accessKeyId(),
                v.secretAccessKey() == null ? null : box.seal(v.secretAccessKey(), ProviderTasks.context(id)),
                v.roleArn(),
                v.externalId(),
                null,
                principal.actor(),
                now,
                principal.actor(),
                now);
        try {
            dao.insert(p);
        } catch (UnableToExecuteStatementException e) {
            throw nameTaken(e, v.name());
        }
        audit(principal, now, "created", id, describe(p, v.secretAccessKey() != null));
        return ProviderView.of(p);
    }

    /** Replaces the settings; a left-out secret access key keeps the stored one (for an access-key provider). */
    public ProviderView update(Principal principal, String id, CloudProviderRequest request) {
        principal.requireAdmin();
        CloudProvider before = find(principal.accountId(), id);
        boolean stored = before.sealedSecretAccessKey() != null;
        ProviderRules.Valid v = ProviderRules.validate(request, stored);
        String sealed = !ProviderRules.ACCESS_KEY.equals(v.credentialsType())
                ? null
                : v.secretAccessKey() != null
                        ? box.seal(v.secretAccessKey(), ProviderTasks.context(id))
                        : before.sealedSecretAccessKey();
        Instant now = clock.instant();
        CloudProvider after = new CloudProvider(
                id,
                before.accountId(),
                v.name(),
                "AWS",
                v.region(),
                v.credentialsType(),
                v.selectors(),
                v.accessKeyId(),
                sealed,
                v.roleArn(),
                v.externalId(),
                before.lastTest(),
                before.createdBy(),
                before.createdAt(),
                principal.actor(),
                now);
        try {
            dao.update(after);
        } catch (UnableToExecuteStatementException e) {
            throw nameTaken(e, v.name());
        }
        cache.invalidate(id);
        cluster.publish(Signal.PROVIDER_CHANGED, id);
        audit(principal, now, "updated", id, describe(after, v.secretAccessKey() != null));
        return ProviderView.of(after);
    }

    /** Joins the other replicas: a provider edited or deleted anywhere drops its cached lookups everywhere. */
    public void joinCluster(ClusterSignals signals) {
        this.cluster = signals;
        signals.subscribe(Signal.PROVIDER_CHANGED, ids -> ids.forEach(cache::invalidate));
    }

    /** Deletes a provider nothing uses; one in use is refused with the list of its users. */
    public void delete(Principal principal, String id) {
        principal.requireAdmin();
        CloudProvider p = find(principal.accountId(), id);
        List<String> users = usage.usersOf(principal.accountId(), id);
        if (!users.isEmpty()) {
            throw DomainProblem.conflict(
                            "CLOUD_PROVIDER_IN_USE",
                            "Cloud provider `" + p.name() + "` is in use by " + String.join(", ", users)
                                    + "; change those to another provider first, then delete it.")
                    .with(Map.of("usedBy", users));
        }
        if (dao.delete(principal.accountId(), id)) {
            cache.invalidate(id);
            cluster.publish(Signal.PROVIDER_CHANGED, id);
            audit(principal, clock.instant(), "deleted", id, "name=" + p.name());
        }
    }

    /**
     * Tests the provider through a delegate: STS GetCallerIdentity and EC2 DescribeRegions. Completes with
     * what it found, connected or not, and keeps that as the provider's last test.
     *
     * @param source where the Test was asked for: {@link TaskSource#LOOKUP} or {@link TaskSource#CONSOLE_LOOKUP}
     */
    public CompletableFuture<TestResult> test(Principal principal, String id, TaskSource source) {
        principal.requireAdmin();
        CloudProvider p = find(principal.accountId(), id);
        // Without affinity, so that Test always tries again (right after a role got its permission, say); what it
        // finds then teaches the lookups' routing: a delegate that passed is no longer avoided for this provider.
        Task task = tasks.submitInternal(
                principal,
                providerTasks.request(p, AwsTaskTypes.TEST_CONNECTION, p.region(), Map.of(), false),
                providerTasks.secrets(p),
                source);
        audit(principal, clock.instant(), "tested", id, "task=" + task.id());
        return tasks.awaitEnd(task).thenApply(ended -> {
            TaskView view = tasks.view(ended);
            TestResult result = result(view, p.name());
            teachRouting(principal.accountId(), id, view);
            dao.recordTest(
                    principal.accountId(),
                    id,
                    new CloudProvider.LastTest(
                            clock.instant(),
                            result.connected(),
                            result.message(),
                            result.taskId(),
                            result.delegateName()));
            return result;
        });
    }

    private void teachRouting(String accountId, String providerId, TaskView v) {
        Instant now = clock.instant();
        if ("SUCCEEDED".equals(v.state()) && v.delegateId() != null) {
            affinity.recordSuccess(accountId, providerId, v.delegateId(), now);
        } else if (v.error() != null && "CAPABILITY".equals(v.error().kind()) && v.delegateId() != null) {
            affinity.recordCapabilityFailure(
                    accountId, providerId, v.delegateId(), now, v.error().message());
        }
    }

    private static TestResult result(TaskView v, String name) {
        if ("SUCCEEDED".equals(v.state()) && v.result() != null) {
            String arn = v.result().path("arn").asText(null);
            String account = v.result().path("account").asText(null);
            return new TestResult(
                    true,
                    "Connected as " + arn + " in account " + account + " through delegate " + v.delegateName() + ".",
                    account,
                    arn,
                    v.result().path("userId").asText(null),
                    v.result().path("regionCount").asInt(),
                    v.delegateName(),
                    v.id(),
                    null,
                    null,
                    null,
                    null);
        }
        DomainProblem problem = TaskProblems.of(v, "Testing `" + name + "`");
        return new TestResult(
                false,
                problem.getMessage(),
                null,
                null,
                null,
                null,
                v.delegateName(),
                v.id(),
                problem.code(),
                v.error() == null ? null : v.error().kind(),
                v.selectionLog(),
                (String) problem.extensions().get("technicalDetails"));
    }

    private static DomainProblem nameTaken(UnableToExecuteStatementException e, String name) {
        if (CloudProviderDao.isDuplicateName(e)) {
            return DomainProblem.conflict(
                    "CLOUD_PROVIDER_NAME_TAKEN",
                    "A cloud provider named `" + name + "` already exists in this account; choose another name.");
        }
        throw e;
    }

    private static String describe(CloudProvider p, boolean secretChanged) {
        return "name=" + p.name() + " region=" + p.region() + " credentials=" + p.credentialsType()
                + (p.delegateSelectors().isEmpty() ? "" : " selectors=" + p.delegateSelectors())
                + (p.accessKeyId() == null ? "" : " accessKeyId=" + p.accessKeyId())
                + (secretChanged ? " secretAccessKey=(new)" : "")
                + (p.roleArn() == null
                        ? ""
                        : " roleArn=" + p.roleArn() + (p.externalId() == null ? "" : " externalId=set"));
    }

    /** Records what the principal did to a provider ("created", "tested", ...) in the audit trail. */
    private void audit(Principal principal, Instant at, String action, String id, String detail) {
        audit.record(
                principal.accountId(), at, principal.actor(), "cloud-provider." + action, "cloud-provider", id, detail);
    }
}
