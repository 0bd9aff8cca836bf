package org.opendelegate.manager.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.opendelegate.manager.deployments.DeploymentFilter;
import org.opendelegate.manager.deployments.DeploymentView;
import org.opendelegate.manager.deployments.Deployments;

/**
 * The Deployments list from what {@link Deployments#list} answers, the same data as {@code GET
 * /api/v1/deployments}: newest first, a page at a time, filtered by cluster, service and state.
 */
public final class DeploymentTable {
    /** Rows on a page. */
    static final int PAGE = 25;

    /** What the list is filtered by (blank: not filtered) and which page it shows (blank cursor: the first). */
    public record Filter(String cluster, String service, String state, String cursor) {
        static Filter of(String cluster, String service, String state, String cursor) {
            return new Filter(blank(cluster), blank(service), blank(state).toUpperCase(Locale.ROOT), blank(cursor));
        }

        public boolean any() {
            return !cluster.isEmpty() || !service.isEmpty() || !state.isEmpty();
        }

        DeploymentFilter domain() {
            return new DeploymentFilter(cluster, service, state);
        }

        /** The list's address with these filters and another cursor (blank: the first page). */
        public String url(String otherCursor) {
            StringBuilder u = new StringBuilder("/deployments");
            String sep = "?";
            String[][] parts = {{"cluster", cluster}, {"service", service}, {"state", state}, {"cursor", otherCursor}};
            for (String[] p : parts) {
                if (p[1] != null && !p[1].isEmpty()) {
                    u.append(sep).append(p[0]).append('=').append(URLEncoder.encode(p[1], StandardCharsets.UTF_8));
                    sep = "&";
                }
            }
            return u.toString();
        }

        private static String blank(String s) {
            return s == null ? "" : s.trim();
        }
    }

    /** One deployment as a row. */
    public record Row(
            String id,
            String shortId,
            String service,
            String cluster,
            String region,
            String state,
            boolean dryRun,
            boolean rollback,
            String who,
            String submitted,
            String submittedExact,
            String change,
            String duration) {}

    /** A page of rows; {@code nextUrl} is null on the last page, {@code firstUrl} null on the first. */
    public record Table(Filter filter, List<Row> rows, String nextUrl, String firstUrl) {}

    private DeploymentTable() {}

    static Table table(Deployments deployments, String accountId, Filter filter, Instant now) {
        var page = deployments.list(
                accountId, filter.domain(), PAGE, filter.cursor().isEmpty() ? null : filter.cursor());
        List<Row> rows = page.deployments().stream().map(d -> row(d, now)).toList();
        return new Table(
                filter,
                rows,
                page.nextCursor() == null ? null : filter.url(page.nextCursor()),
                filter.cursor().isEmpty() ? null : filter.url(""));
    }

    private static Row row(DeploymentView d, Instant now) {
        String from = DeploymentDetail.revision(d.from());
        String to = DeploymentDetail.revision(d.to());
        return new Row(
                d.id(),
                TaskList.shortId(d.id()),
                d.service(),
                d.cluster(),
                d.region(),
                d.state().name(),
                d.dryRun(),
                d.rollbackOf() != null,
                d.submittedBy(),
                Ago.of(d.submittedAt(), now),
                Ago.exact(d.submittedAt()),
                from + " → " + to,
                Ago.duration(Duration.ofMillis(Math.max(0, d.durationMillis()))));
    }
}
