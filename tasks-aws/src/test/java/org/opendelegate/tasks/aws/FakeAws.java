package org.opendelegate.tasks.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small AWS endpoint on loopback that speaks the real wire protocols the lookups use (STS and EC2 query
 * with XML answers, ECS JSON 1.1) and pages its answers, which moto does not do for ECS and EC2: enough
 * clusters and subnets for several pages, ECS's page of 100 and EC2's of 1,000 as AWS serves them. It can
 * throttle the first calls of an action, and it records every request.
 */
final class FakeAws implements AutoCloseable {
    final List<String> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger throttleNext = new AtomicInteger();
    private final HttpServer server;
    private final int clusters;
    private final int subnets;

    FakeAws(int clusters, int subnets) {
        this.clusters = clusters;
        this.subnets = subnets;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        Map<String, String> form = form(body);
        String action = target != null ? target.substring(target.indexOf('.') + 1) : form.getOrDefault("Action", "?");
        requests.add(action + " " + body);
        if (!action.equals("GetCallerIdentity") && throttleNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            send(
                    exchange,
                    503,
                    "text/xml",
                    "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request "
                            + "limit exceeded.</Message></Error></Errors><RequestID>t</RequestID></Response>");
            return;
        }
        switch (action) {
            case "GetCallerIdentity" ->
                send(
                        exchange,
                        200,
                        "text/xml",
                        "<GetCallerIdentityResponse xmlns=\"https://sts."
                                + "amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/fake"
                                + "</Arn><UserId>AIDAFAKE</UserId><Account>123456789012</Account></GetCallerIdentityResult>"
                                + "<ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>");
            case "ListClusters" -> listClusters(exchange, body);
            case "DescribeSubnets" -> describeSubnets(exchange, form);
            default ->
                send(
                        exchange,
                        400,
                        "text/xml",
                        "<Response><Errors><Error><Code>InvalidAction</Code><Message>" + action
                                + " is not faked</Message></Error></Errors><RequestID>x</RequestID></Response>");
        }
    }

    private void listClusters(HttpExchange exchange, String body) throws IOException {
        int start = body.contains("\"nextToken\"")
                ? Integer.parseInt(body.replaceAll(".*\"nextToken\":\"(\\d+)\".*", "$1"))
                : 0;
        int size = body.contains("\"maxResults\":100") ? 100 : 10;
        StringBuilder arns = new StringBuilder();
        int end = Math.min(clusters, start + size);
        for (int i = start; i < end; i++) {
            arns.append(i == start ? "" : ",")
                    .append("\"arn:aws:ecs:us-east-1:123456789012:cluster/c-")
                    .append(i)
                    .append('"');
        }
        String next = end < clusters ? ",\"nextToken\":\"" + end + "\"" : "";
        send(exchange, 200, "application/x-amz-json-1.1", "{\"clusterArns\":[" + arns + "]" + next + "}");
    }

    private void describeSubnets(HttpExchange exchange, Map<String, String> form) throws IOException {
        int start = Integer.parseInt(form.getOrDefault("NextToken", "0"));
        int size = Integer.parseInt(form.getOrDefault("MaxResults", "1000000"));
        String vpc = form.get("Filter.1.Value.1");
        StringBuilder items = new StringBuilder();
        int end = Math.min(subnets, start + size);
        for (int i = start; i < end; i++) {
            items.append("<item><subnetId>subnet-")
                    .append(i)
                    .append("</subnetId><cidrBlock>10.0.")
                    .append(i / 16)
                    .append('.')
                    .append((i % 16) * 16)
                    .append("/28</cidrBlock><availabilityZone>us-east-1")
                    .append((char) ('a' + i % 3))
                    .append("</availabilityZone><vpcId>")
                    .append(vpc)
                    .append("</vpcId><availableIpAddressCount>11</availableIpAddressCount></item>");
        }
        String next = end < subnets ? "<nextToken>" + end + "</nextToken>" : "";
        send(
                exchange,
                200,
                "text/xml",
                "<DescribeSubnetsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
                        + "<requestId>r</requestId><subnetSet>" + items + "</subnetSet>" + next
                        + "</DescribeSubnetsResponse>");
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
