package org.opendelegate.manager.providers;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.opendelegate.manager.dispatch.TaskService;
import org.opendelegate.manager.dispatch.TaskSource;
import org.opendelegate.manager.dispatch.TaskView;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.security.Principal;
import org.opendelegate.manager.store.CloudProvider;
import org.opendelegate.manager.store.Task;
import org.opendelegate.protocol.Problem;

/**
 * Regions, ECS clusters and services, VPCs, subnets, security groups and IAM roles of a provider, listed by
 * a delegate in a sync task and kept for a short while ({@code OPENDELEGATE_LOOKUP_CACHE_TTL}). Any role may
 * look: lookups only read. A lookup that fails answers a problem naming its task ({@link TaskProblems}).
 */
public final class ProviderLookups {
    private static final Pattern VPC_ID = Pattern.compile("vpc-[0-9a-f]{1,32}");
    private static final Pattern CLUSTER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_:/.-]{0,1599}");

    private final CloudProviders providers;
    private final ProviderTasks providerTasks;
    private final TaskService tasks;
    private final LookupCache cache;

    ProviderLookups(CloudProviders providers, ProviderTasks providerTasks, TaskService tasks, LookupCache cache) {
        this.providers = providers;
        this.providerTasks = providerTasks;
        this.tasks = tasks;
        this.cache = cache;
    }

    /**
     * Lists what the lookup names.
     *
     * @param region the region, or null for the provider's
     * @param given the lookup's parameters as received (only the ones it takes are used)
     * @param refresh skip the cache
     * @param source where the lookup was asked for: {@link TaskSource#LOOKUP} or {@link TaskSource#CONSOLE_LOOKUP}
     */
    public CompletableFuture<LookupResult> lookup(
            Principal principal,
            String providerId,
            Lookup lookup,
            String region,
            Map<String, String> given,
            boolean refresh,
            TaskSource source) {
        CloudProvider p = providers.find(principal.accountId(), providerId);
        String where = region == null || region.isBlank() ? p.region() : region.trim();
        Map<String, String> params = validate(lookup, where, given);
        LookupCache.Key key = new LookupCache.Key(principal.accountId(), p.id(), lookup, where, params);
        return cache.get(key, refresh, () -> run(principal, p, lookup, where, params, source));
    }

    private CompletableFuture<LookupResult> run(
            Principal principal,
            CloudProvider p,
            Lookup lookup,
            String region,
            Map<String, String> params,
            TaskSource source) {
        Task task = tasks.submitInternal(
                principal,
                providerTasks.request(p, lookup.taskType(), region, params, true),
                providerTasks.secrets(p),
                source);
        return tasks.awaitEnd(task).thenApply(ended -> {
            TaskView v = tasks.view(ended);
            if (!"SUCCEEDED".equals(v.state()) || v.result() == null) {
                throw TaskProblems.of(v, "Listing " + lookup.path() + " of cloud provider `" + p.name() + "`");
            }
            JsonNode items = v.result().path(lookup.resultField());
            return new LookupResult(
                    p.id(),
                    lookup.path(),
                    region,
                    params,
                    items,
                    items.size(),
                    v.result().path("principal").asText(null),
                    v.delegateName(),
                    v.id(),
                    v.finishedAt(),
                    false);
        });
    }

    private static Map<String, String> validate(Lookup lookup, String region, Map<String, String> given) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (!ProviderRules.REGION.matcher(region).matches()) {
            errors.add(new Problem.FieldError(
                    "region", "(\"" + region + "\") is not an AWS region id; write e.g. " + "\"us-east-1\"."));
        }
        Map<String, String> params = new TreeMap<>();
        for (String name : lookup.params()) {
            String value = given.get(name) == null ? "" : given.get(name).trim();
            boolean ok = name.equals("vpcId")
                    ? VPC_ID.matcher(value).matches()
                    : CLUSTER.matcher(value).matches();
            if (!ok) {
                errors.add(new Problem.FieldError(
                        name,
                        value.isEmpty()
                                ? "is required, e.g. " + (name.equals("vpcId") ? "vpc-0abc1234" : "prod-cluster") + "."
                                : "(\"" + value + "\") is not a valid "
                                        + (name.equals("vpcId") ? "VPC id" : "cluster name or ARN") + "."));
            }
            params.put(name, value);
        }
        if (!errors.isEmpty()) {
            throw DomainProblem.invalid(errors);
        }
        return params;
    }
}
