package org.opendelegate.manager.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document names the answers the transport gives before a route's own code runs: every
 * operation can answer 431 (headers too large) and 503 (its thread budget in use), every operation with a
 * body 408 (too slow), 413 (too large) and 415 (not JSON), and the sign-in 429. Read from the document's
 * indentation (paths at 2, methods at 4, an operation's members at 6, its answers at 8).
 */
class OpenApiStatusesTest {
    private static final Set<String> OWN_BUDGET = Set.of("/healthz", "/readyz", "/metrics");

    private record Operation(String path, String method, boolean body, Set<String> statuses) {}

    @Test
    void everyOperationDocumentsTheTransportAnswersItCanGive() throws IOException {
        List<Operation> operations = operations();
        assertThat(operations).hasSizeGreaterThan(60);
        List<String> missing = new ArrayList<>();
        for (Operation op : operations) {
            Set<String> wanted = new TreeSet<>(Set.of("431"));
            if (!OWN_BUDGET.contains(op.path())) {
                wanted.add("503");
            }
            if (op.body()) {
                wanted.addAll(Set.of("408", "413", "415"));
            }
            if (op.path().equals("/login") && op.method().equals("post")) {
                wanted.add("429");
            }
            wanted.removeAll(op.statuses());
            if (!wanted.isEmpty()) {
                missing.add(op.method() + " " + op.path() + " lacks " + wanted);
            }
        }
        assertThat(missing).isEmpty();
    }

    private static List<Operation> operations() throws IOException {
        Pattern pathLine = Pattern.compile("^  (/\\S*):\\s*$");
        Pattern methodLine = Pattern.compile("^    (get|post|put|patch|delete):\\s*$");
        Pattern statusLine = Pattern.compile("^        \"(\\d{3})\":");
        List<Operation> operations = new ArrayList<>();
        String path = null;
        String method = null;
        boolean body = false;
        Set<String> statuses = new TreeSet<>();
        for (String line : document().split("\n")) {
            Matcher p = pathLine.matcher(line);
            Matcher m = methodLine.matcher(line);
            Matcher s = statusLine.matcher(line);
            boolean ends = p.matches() || m.matches() || (!line.startsWith(" ") && !line.isBlank());
            if (ends && method != null) {
                operations.add(new Operation(path, method, body, statuses));
                method = null;
            }
            if (p.matches()) {
                path = p.group(1);
            } else if (m.matches() && path != null) {
                method = m.group(1);
                body = false;
                statuses = new TreeSet<>();
            } else if (method != null && line.startsWith("      requestBody:")) {
                body = true;
            } else if (method != null && s.find()) {
                statuses.add(s.group(1));
            } else if (!line.startsWith(" ") && !line.isBlank()) {
                path = null;
            }
        }
        return operations;
    }

    private static String document() throws IOException {
        try (InputStream in = OpenApiStatusesTest.class.getResourceAsStream("/api/openapi.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
