package org.opendelegate.tasks.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.opendelegate.spi.TaskFailure;
import software.amazon.awssdk.services.ecs.EcsClient;

/** {@code aws.ecs-clusters}: every ECS cluster of the region, paging 100 at a time (ECS's largest page). */
final class EcsClustersLookup implements AwsLookup {
    static final int PAGE = 100;

    @Override
    public void run(AwsSession session, JsonNode payload, ObjectNode result) throws TaskFailure, InterruptedException {
        EcsClient ecs = session.ecs();
        ArrayNode clusters = result.putArray("clusters");
        int pages = session.pages(
                "ecs",
                "ListClusters",
                () -> ecs.listClustersPaginator(r -> r.maxResults(PAGE)),
                page -> page.clusterArns()
                        .forEach(arn -> clusters.addObject()
                                .put("name", Arns.lastPart(arn))
                                .put("arn", arn)));
        session.record("ecs", "ListClusters", pages, clusters.size(), "clusters");
    }
}
