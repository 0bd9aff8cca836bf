package org.opendelegate.e2e.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A local stand-in for the ECS task metadata endpoint v4 ({@code ECS_CONTAINER_METADATA_URI_V4}),
 * answering the container and task documents in the shapes AWS documents for the EC2 launch type in
 * bridge mode and for Fargate.
 */
public final class FakeEcsMetadata implements AutoCloseable {
    private final HttpServer server;

    private FakeEcsMetadata(String container, String task) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/v4/meta", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String body = path.endsWith("/task") ? task : container;
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    /** The value for {@code ECS_CONTAINER_METADATA_URI_V4}. */
    public String uri() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v4/meta";
    }

    /** An EC2-launch-type task in bridge network mode. */
    public static FakeEcsMetadata ec2Bridge(String dockerId, String taskId) {
        String taskArn = "arn:aws:ecs:us-east-1:111122223333:task/prod-cluster/" + taskId;
        String container = """
                {"DockerId": "%s", "Name": "ecs-delegate", "DockerName": "ecs-opendelegate-task-spec-1-ecs-delegate",
                 "Image": "opendelegate/delegate:0.1.0",
                 "Labels": {"com.amazonaws.ecs.cluster": "prod-cluster", "com.amazonaws.ecs.container-name": "ecs-delegate",
                            "com.amazonaws.ecs.task-arn": "%s",
                            "com.amazonaws.ecs.task-definition-family": "opendelegate-task-spec",
                            "com.amazonaws.ecs.task-definition-version": "1"},
                 "DesiredStatus": "RUNNING", "KnownStatus": "RUNNING", "Limits": {"CPU": 256, "Memory": 512},
                 "Type": "NORMAL",
                 "Networks": [{"NetworkMode": "bridge", "IPv4Addresses": ["172.17.0.2"]}]}
                """.formatted(dockerId, taskArn);
        String task = """
                {"Cluster": "prod-cluster", "TaskARN": "%s", "Family": "opendelegate-task-spec", "Revision": "1",
                 "DesiredStatus": "RUNNING", "KnownStatus": "RUNNING", "Limits": {"CPU": 0.25, "Memory": 512},
                 "AvailabilityZone": "us-east-1b", "LaunchType": "EC2",
                 "Containers": [%s]}
                """.formatted(taskArn, container);
        return new FakeEcsMetadata(container, task);
    }

    /** A Fargate task (awsvpc network mode). */
    public static FakeEcsMetadata fargate(String taskId) {
        String taskArn = "arn:aws:ecs:us-west-2:111122223333:task/default/" + taskId;
        String dockerId = taskId + "-2495160603";
        String container = """
                {"DockerId": "%s", "Name": "ecs-delegate", "DockerName": "ecs-delegate",
                 "Image": "opendelegate/delegate:0.1.0",
                 "Labels": {"com.amazonaws.ecs.cluster": "arn:aws:ecs:us-west-2:111122223333:cluster/default",
                            "com.amazonaws.ecs.container-name": "ecs-delegate", "com.amazonaws.ecs.task-arn": "%s",
                            "com.amazonaws.ecs.task-definition-family": "opendelegate-task-spec",
                            "com.amazonaws.ecs.task-definition-version": "3"},
                 "DesiredStatus": "RUNNING", "KnownStatus": "RUNNING", "Limits": {"CPU": 2}, "Type": "NORMAL",
                 "Networks": [{"NetworkMode": "awsvpc", "IPv4Addresses": ["10.0.1.25"],
                               "AttachmentIndex": 0, "MACAddress": "0a:de:f6:10:51:e5",
                               "IPv4SubnetCIDRBlock": "10.0.0.0/20", "PrivateDNSName": "ip-10-0-1-25.us-west-2.compute.internal",
                               "SubnetGatewayIpv4Address": "10.0.0.1/20"}]}
                """.formatted(dockerId, taskArn);
        String task = """
                {"Cluster": "arn:aws:ecs:us-west-2:111122223333:cluster/default", "TaskARN": "%s",
                 "Family": "opendelegate-task-spec", "Revision": "3", "DesiredStatus": "RUNNING", "KnownStatus": "RUNNING",
                 "Limits": {"CPU": 0.25, "Memory": 512}, "AvailabilityZone": "us-west-2d", "LaunchType": "FARGATE",
                 "Containers": [%s]}
                """.formatted(taskArn, container);
        return new FakeEcsMetadata(container, task);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
