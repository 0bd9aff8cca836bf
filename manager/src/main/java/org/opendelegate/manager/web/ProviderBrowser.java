package org.opendelegate.manager.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.opendelegate.manager.dispatch.TaskSource;
import org.opendelegate.manager.http.Routes;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.providers.CloudProviders;
import org.opendelegate.manager.providers.Lookup;
import org.opendelegate.manager.providers.LookupResult;
import org.opendelegate.manager.users.SignedIn;

/**
 * The browsable panel of a provider's page: region → ECS clusters → services, region → VPCs → subnets and
 * security groups. Each step is one lookup through a delegate, answered as a fragment, and only when a person
 * asks for it (the provider's page starts none by itself); a failed lookup shows its sentence, the technical
 * details folded, and a link to its task (with the selection log) in place of the list. Every answer tells the
 * page that browsing started ({@code od:browsed}), so that the region list is fetched once, then.
 */
public final class ProviderBrowser implements Routes {
    /** A list of items, or why there is none. */
    public record Panel(
            String providerId,
            String kind,
            String region,
            String cluster,
            String vpcId,
            List<Map<String, String>> items,
            String principal,
            String delegateName,
            String taskId,
            boolean cached,
            String error,
            String technicalDetails,
            String errorTaskUrl) {
        public boolean failed() {
            return error != null;
        }

        public String emptyMessage() {
            return switch (kind) {
                case "clusters" -> "No ECS clusters in " + region + ".";
                case "services" -> "No services in this cluster.";
                case "vpcs" -> "No VPCs in " + region + ".";
                case "subnets" -> "No subnets in this VPC.";
                default -> "No security groups in this VPC.";
            };
        }
    }

    private final CloudProviders providers;
    private final Pages pages;

    ProviderBrowser(CloudProviders providers, Pages pages) {
        this.providers = providers;
        this.pages = pages;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get(CloudProvidersPage.BASE + "/{id}/browse/{kind}", this::browse);
    }

    private void browse(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        String id = ctx.pathParam("id");
        String kind = ctx.pathParam("kind");
        Lookup lookup = switch (kind) {
            case "regions" -> Lookup.REGIONS;
            case "clusters" -> Lookup.ECS_CLUSTERS;
            case "services" -> Lookup.ECS_SERVICES;
            case "vpcs" -> Lookup.VPCS;
            case "subnets" -> Lookup.SUBNETS;
            case "security-groups" -> Lookup.SECURITY_GROUPS;
            default -> throw DomainProblem.notFound("panel", kind);
        };
        String region = ctx.queryParam("region");
        String cluster = ctx.queryParam("cluster");
        String vpcId = ctx.queryParam("vpcId");
        Map<String, String> params = new java.util.HashMap<>();
        if (cluster != null) {
            params.put("cluster", cluster);
        }
        if (vpcId != null) {
            params.put("vpcId", vpcId);
        }
        boolean refresh = "true".equals(ctx.queryParam("refresh"));
        ctx.future(() -> providers
                .lookups()
                .lookup(user.principal(), id, lookup, region, params, refresh, TaskSource.CONSOLE_LOOKUP)
                .handle((result, error) -> error == null
                        ? panel(id, kind, cluster, vpcId, result)
                        : failed(id, kind, region, cluster, vpcId, error))
                .thenAccept(panel -> {
                    Htmx.events().browsed().send(ctx);
                    pages.render(ctx, "providers/panel.jte", panel);
                }));
    }

    private static Panel panel(String id, String kind, String cluster, String vpcId, LookupResult r) {
        List<Map<String, String>> items = new ArrayList<>();
        for (JsonNode item : r.items()) {
            Map<String, String> row = new java.util.LinkedHashMap<>();
            item.properties()
                    .forEach(f -> row.put(
                            f.getKey(),
                            f.getValue().isNull() ? null : f.getValue().asText()));
            items.add(row);
        }
        return new Panel(
                id,
                kind,
                r.region(),
                cluster,
                vpcId,
                items,
                r.principal(),
                r.delegateName(),
                r.taskId(),
                r.cached(),
                null,
                null,
                null);
    }

    private static Panel failed(String id, String kind, String region, String cluster, String vpcId, Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (!(cause instanceof DomainProblem problem)) {
            throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
        }
        Object url = problem.extensions().get("taskUrl");
        Object details = problem.extensions().get("technicalDetails");
        return new Panel(
                id,
                kind,
                region,
                cluster,
                vpcId,
                List.of(),
                null,
                null,
                null,
                false,
                problem.getMessage(),
                details == null ? null : details.toString(),
                url == null ? null : url.toString());
    }
}
