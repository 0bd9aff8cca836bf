package org.opendelegate.manager.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.opendelegate.manager.dispatch.TaskSource;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.providers.Lookup;
import org.opendelegate.manager.providers.ProviderLookups;
import org.opendelegate.manager.security.Principal;

/**
 * Where a deployment goes, as the Deploy form walks it: provider → region → cluster → service. Each choice that
 * is made lets the next list be looked up through a delegate, with the lookups the cloud provider pages use (and
 * their cache). A list is a suggestion: a person may type a name the delegate did not list.
 *
 * @param region the regions of the provider, or why there are none
 * @param cluster the clusters of the region
 * @param service the services of the cluster
 */
public record DeployTarget(Choices region, Choices cluster, Choices service) {

    /**
     * What one field may suggest.
     *
     * @param asked a lookup was made (the field's earlier choices were all made)
     * @param names what the delegate listed
     * @param error the lookup's sentence when it failed
     * @param taskUrl the failed lookup's task (with its selection log)
     */
    public record Choices(boolean asked, List<String> names, String error, String taskUrl) {
        static final Choices NOT_ASKED = new Choices(false, List.of(), null, null);
    }

    /** A sentence for screen readers once the lists arrived, e.g. "2 clusters and 3 services listed." */
    public String summary() {
        List<String> parts = new ArrayList<>();
        if (cluster.asked()) {
            parts.add(cluster.names().size() + (cluster.names().size() == 1 ? " cluster" : " clusters"));
        }
        if (service.asked()) {
            parts.add(service.names().size() + (service.names().size() == 1 ? " service" : " services"));
        }
        return parts.isEmpty() ? "" : String.join(" and ", parts) + " listed.";
    }

    static final DeployTarget NOTHING_CHOSEN =
            new DeployTarget(Choices.NOT_ASKED, Choices.NOT_ASKED, Choices.NOT_ASKED);

    /** Looks up what the form's choices so far let it, all at once. */
    static CompletableFuture<DeployTarget> lookUp(ProviderLookups lookups, Principal principal, DeployForm form) {
        String provider = form.value("cloudProviderId").strip();
        String region = form.value("region").strip();
        String cluster = form.value("cluster").strip();
        if (provider.isEmpty()) {
            return CompletableFuture.completedFuture(NOTHING_CHOSEN);
        }
        CompletableFuture<Choices> regions = choices(lookups, principal, provider, Lookup.REGIONS, null, Map.of());
        CompletableFuture<Choices> clusters = region.isEmpty()
                ? CompletableFuture.completedFuture(Choices.NOT_ASKED)
                : choices(lookups, principal, provider, Lookup.ECS_CLUSTERS, region, Map.of());
        CompletableFuture<Choices> services = region.isEmpty() || cluster.isEmpty()
                ? CompletableFuture.completedFuture(Choices.NOT_ASKED)
                : choices(lookups, principal, provider, Lookup.ECS_SERVICES, region, Map.of("cluster", cluster));
        return CompletableFuture.allOf(regions, clusters, services)
                .thenApply(v -> new DeployTarget(regions.join(), clusters.join(), services.join()));
    }

    private static CompletableFuture<Choices> choices(
            ProviderLookups lookups,
            Principal principal,
            String provider,
            Lookup lookup,
            String region,
            Map<String, String> params) {
        CompletableFuture<Choices> answer;
        try {
            answer = lookups.lookup(principal, provider, lookup, region, params, false, TaskSource.CONSOLE_LOOKUP)
                    .thenApply(r -> {
                        List<String> names = new ArrayList<>();
                        for (JsonNode item : r.items()) {
                            names.add(item.path("name").asText());
                        }
                        return new Choices(true, List.copyOf(names), null, null);
                    });
        } catch (DomainProblem e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.exceptionally(DeployTarget::failed);
    }

    private static Choices failed(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (!(cause instanceof DomainProblem problem)) {
            throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
        }
        Object url = problem.extensions().get("taskUrl");
        return new Choices(true, List.of(), problem.getMessage(), url == null ? null : url.toString());
    }
}
