package org.opendelegate.tasks.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.opendelegate.spi.TaskFailure;
import software.amazon.awssdk.services.ecs.EcsClient;

/** {@code aws.ecs-services}: every service of one ECS cluster ({@code cluster}: name or ARN), 100 a page. */
final class EcsServicesLookup implements AwsLookup {
    @Override
    public void run(AwsSession session, JsonNode payload, ObjectNode result) throws TaskFailure, InterruptedException {
        String cluster = AwsTaskInput.required(payload, "cluster", "prod-cluster");
        EcsClient ecs = session.ecs();
        ArrayNode services = result.putArray("services");
        int pages = session.pages(
                "ecs",
                "ListServices",
                () -> ecs.listServicesPaginator(r -> r.cluster(cluster).maxResults(EcsClustersLookup.PAGE)),
                page -> page.serviceArns()
                        .forEach(arn -> services.addObject()
                                .put("name", Arns.lastPart(arn))
                                .put("arn", arn)));
        result.put("cluster", cluster);
        session.record("ecs", "ListServices", pages, services.size(), "services in cluster " + cluster);
    }
}
