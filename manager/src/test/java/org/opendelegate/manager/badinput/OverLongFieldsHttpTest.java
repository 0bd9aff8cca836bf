package org.opendelegate.manager.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.testing.TestManager;
import org.opendelegate.testkit.FakeDelegate;
import org.opendelegate.testkit.TestHttp;
import org.slf4j.LoggerFactory;

/**
 * Values that fit the 1 MiB body limit but not the store (issue 12, §4): every field a route writes, sent
 * longer (or with more entries) than its column or its documented limit holds. Each answer must be a 4xx
 * problem that names the field, nothing logged at ERROR or with a stack trace, and the store unchanged.
 */
class OverLongFieldsHttpTest {
    private static final String LONG = "a".repeat(9_000);

    private record Case(String label, String field, TestHttp.Response answer) {}

    private final List<Case> cases = new ArrayList<>();

    @Test
    void everyOverLongFieldIsRefusedNamingItAndNothingIsStored() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        root.addAppender(log);
        try (TestManager manager = TestManager.start(Map.of("OPENDELEGATE_DISCONNECT_AFTER", "1h"))) {
            FakeDelegate delegate = manager.delegate("over-long", "over-long-group");
            assertThat(delegate.register().status()).isEqualTo(200);
            String groupId = manager.api()
                    .get("/api/v1/delegate-groups")
                    .json()
                    .get("groups")
                    .get(0)
                    .get("id")
                    .asText();
            String userId = manager.api()
                    .get("/api/v1/users")
                    .json()
                    .get("users")
                    .get(0)
                    .get("id")
                    .asText();
            Map<String, String> before = BadInputHttpTest.dump(manager);
            log.list.clear();

            registrations(manager);
            heartbeats(delegate);
            tasks(manager.api());
            groups(manager.api(), groupId);
            namesAndDescriptions(manager.api(), userId);

            List<String> wrong = cases.stream()
                    .filter(c -> c.answer().status() < 400
                            || c.answer().status() >= 500
                            || !String.valueOf(c.answer().header("Content-Type"))
                                    .startsWith("application/problem+json")
                            || !c.answer().body().contains(c.field()))
                    .map(c -> c.label() + " -> " + c.answer().status() + " "
                            + c.answer()
                                    .body()
                                    .substring(
                                            0, Math.min(300, c.answer().body().length())))
                    .toList();
            assertThat(wrong)
                    .as("over-long values not refused with a 4xx problem naming the field")
                    .isEmpty();
            assertThat(BadInputHttpTest.dump(manager)).isEqualTo(before);
        } finally {
            root.detachAppender(log);
        }
        assertThat(List.copyOf(log.list))
                .as("no ERROR line and no stack trace")
                .noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.ERROR) || e.getThrowableProxy() != null);
        assertThat(cases).hasSizeGreaterThan(60);
    }

    private void registrations(TestManager manager) {
        for (String field : List.of(
                "taskArn",
                "cluster",
                "containerId",
                "containerName",
                "networkMode",
                "launchType",
                "availabilityZone",
                "family",
                "revision")) {
            Map<String, Object> ecs = ecs();
            ecs.put(field, LONG);
            register(manager, "ecs." + field, "ecs", ecs);
        }
        for (String field : List.of("instanceId", "name", "groupName", "profileName", "hostname", "ip", "version")) {
            register(manager, field, field, LONG);
        }
        register(manager, "name", "name", "bell\u0007name");
        register(manager, "hostname", "hostname", "host\nname");
        register(manager, "ecs.cluster", "ecs", Map.of("cluster", "line\nbreak"));
        register(manager, "launchType", "launchType", LONG);
        register(manager, "taskTypes", "taskTypes", ids("type-", 2_000));
        // Each entry within its own limit, together longer than the column that holds the list.
        register(manager, "taskTypes", "taskTypes", ids("t".repeat(90), 200));
        register(manager, "taskTypes", "taskTypes", List.of(LONG));
        register(manager, "selectors", "selectors", ids("s-", 2_000));
        register(manager, "selectors", "selectors", List.of(LONG));
        register(manager, "runningTaskIds", "runningTaskIds", ids("t", 100_000));
        register(manager, "runningTaskIds", "runningTaskIds", List.of(LONG));
    }

    private void register(TestManager manager, String label, String field, Object value) {
        FakeDelegate d =
                manager.delegate("over-long-" + cases.size(), "over-long-group").with(field, value);
        if (value instanceof Map<?, ?>) {
            d.with("type", "ECS").with("launchType", "FARGATE").with("identityKind", "EPHEMERAL");
        }
        String shown = label.startsWith("ecs.") ? "ecs." + label.substring(4) : label;
        cases.add(new Case("register " + label, shown, d.register()));
    }

    private static Map<String, Object> ecs() {
        Map<String, Object> ecs = new LinkedHashMap<>();
        ecs.put("taskArn", "arn:aws:ecs:eu-west-1:123456789012:task/c/0123456789abcdef");
        ecs.put("cluster", "c");
        ecs.put("containerId", "0123456789abcdef");
        ecs.put("containerName", "delegate");
        ecs.put("networkMode", "awsvpc");
        ecs.put("launchType", "FARGATE");
        ecs.put("availabilityZone", "eu-west-1a");
        ecs.put("family", "delegate");
        ecs.put("revision", "1");
        return ecs;
    }

    private void heartbeats(FakeDelegate delegate) {
        String[] many = ids("t", 100_000).toArray(String[]::new);
        cases.add(new Case("heartbeat 100,000 running ids", "runningTaskIds", delegate.heartbeat(many)));
        cases.add(new Case("heartbeat long running id", "runningTaskIds", delegate.heartbeat(LONG)));
    }

    private void tasks(TestHttp api) {
        task(api, "type", Map.of("type", LONG));
        // Fits the 1 MiB body, not the payload column (1,000,000 characters).
        task(api, "payload", Map.of("type", "echo", "payload", Map.of("data", "a".repeat(1_000_100))));
        task(api, "idempotencyKey", Map.of("type", "echo", "idempotencyKey", LONG));
        task(api, "affinityKey", Map.of("type", "echo", "affinityKey", LONG));
        task(api, "affinityKey", Map.of("type", "echo", "affinityKey", "tab\there"));
        task(api, "selectors", Map.of("type", "echo", "selectors", ids("s-", 2_000)));
        task(api, "selectors", Map.of("type", "echo", "selectors", List.of(LONG)));
        task(api, "scope", Map.of("type", "echo", "scope", Map.of("env", LONG)));
        task(api, "scope", Map.of("type", "echo", "scope", Map.of(LONG, "x")));
        Map<String, String> wide = new LinkedHashMap<>();
        IntStream.range(0, 2_000).forEach(i -> wide.put("k" + i, "v"));
        task(api, "scope", Map.of("type", "echo", "scope", wide));
    }

    private void task(TestHttp api, String field, Map<String, Object> body) {
        cases.add(new Case("task " + field, field, api.post("/api/v1/tasks", body)));
    }

    private void groups(TestHttp api, String groupId) {
        String group = "/api/v1/delegate-groups/" + groupId;
        add("group name", "name", api.post("/api/v1/delegate-groups", Map.of("name", LONG)));
        add("group selectors", "selectors", api.put(group + "/selectors", Map.of("selectors", ids("s-", 2_000))));
        add("group selector", "selectors", api.put(group + "/selectors", Map.of("selectors", List.of(LONG))));
        add(
                "trusted identity",
                "trustedIdentities",
                api.put(group + "/trusted-identities", Map.of("trustedIdentities", List.of(LONG))));
        add("group lock token name", "tokenName", api.post(group + "/lock", Map.of("tokenName", LONG)));
        List<String> longArns = IntStream.range(0, 20)
                .mapToObj(i -> "arn:aws:iam::123456789012:user/" + "p".repeat(300) + "/user" + i)
                .toList();
        add(
                "trusted identities together",
                "trustedIdentities",
                api.put(group + "/trusted-identities", Map.of("trustedIdentities", longArns)));
        Map<String, String> wideScope = new LinkedHashMap<>();
        IntStream.range(0, 10).forEach(i -> wideScope.put("d" + "x".repeat(30) + i, "v".repeat(100)));
        List<Map<String, String>> manyScopes =
                IntStream.range(0, 20).mapToObj(i -> wideScope).toList();
        add(
                "group scopes together",
                "include",
                api.put(group + "/scopes", Map.of("include", manyScopes, "exclude", List.of())));
        add(
                "group scopes",
                "include",
                api.put(group + "/scopes", Map.of("include", List.of(Map.of("env", LONG)), "exclude", List.of())));
    }

    private void namesAndDescriptions(TestHttp api, String userId) {
        add("token name", "name", api.post("/api/v1/delegate-tokens", Map.of("name", LONG)));
        add("token name control", "name", api.post("/api/v1/delegate-tokens", Map.of("name", "to\u0000ken")));
        add("profile name", "name", api.post("/api/v1/delegate-profiles", Map.of("name", LONG)));
        add("profile name control", "name", api.post("/api/v1/delegate-profiles", Map.of("name", "pro\u001bfile")));
        add(
                "profile description",
                "description",
                api.post("/api/v1/delegate-profiles", Map.of("name", "p", "description", LONG)));
        add(
                "profile script",
                "script",
                api.post("/api/v1/delegate-profiles", Map.of("name", "p", "script", "a".repeat(900_000))));
        add("user name", "username", api.post("/api/v1/users", user(LONG)));
        add("user name control", "username", api.post("/api/v1/users", user("us\u0007er")));
        add(
                "user password",
                "password",
                api.post("/api/v1/users", Map.of("username", "someone", "role", "VIEWER", "password", LONG)));
        add("api key name", "name", api.post("/api/v1/users/" + userId + "/api-keys", Map.of("name", LONG)));
        add("api key name control", "name", api.post("/api/v1/users/" + userId + "/api-keys", Map.of("name", "ke\ny")));
        for (String field : List.of("name", "region")) {
            Map<String, Object> p = provider();
            p.put(field, LONG);
            add("provider " + field, field, api.post("/api/v1/cloud-providers", p));
        }
        Map<String, Object> p = provider();
        p.put("crossAccountRole", Map.of("roleArn", LONG, "externalId", LONG));
        add("provider roleArn", "roleArn", api.post("/api/v1/cloud-providers", p));
        p = provider();
        p.put("credentials", Map.of("type", "DELEGATE_IAM_ROLE", "delegateSelectors", ids("s-", 2_000)));
        add("provider delegateSelectors", "delegateSelectors", api.post("/api/v1/cloud-providers", p));
        p = provider();
        p.put("credentials", Map.of("type", "ACCESS_KEY", "accessKeyId", LONG, "secretAccessKey", LONG));
        add("provider accessKeyId", "accessKeyId", api.post("/api/v1/cloud-providers", p));
        for (String field : List.of("delegateGroupName", "profile", "hostname", "tokenName", "family")) {
            add("ecs installer " + field, field, api.post("/api/v1/installers/ecs", installer(field)));
        }
        for (String field : List.of("delegateGroupName", "profile", "delegateName", "tokenName")) {
            add("shell installer " + field, field, api.post("/api/v1/installers/shell", installer(field)));
        }
    }

    private static Map<String, Object> installer(String longField) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("delegateGroupName", "fine-group");
        body.put(longField, LONG);
        return body;
    }

    private static Map<String, Object> user(String username) {
        return Map.of("username", username, "role", "VIEWER", "password", "a-good-long-password-1");
    }

    private static Map<String, Object> provider() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", "aws");
        p.put("type", "AWS");
        p.put("region", "eu-west-1");
        p.put("credentials", Map.of("type", "DELEGATE_IAM_ROLE", "delegateSelectors", List.of("aws")));
        return p;
    }

    private void add(String label, String field, TestHttp.Response answer) {
        cases.add(new Case(label, field, answer));
    }

    private static List<String> ids(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
    }
}
