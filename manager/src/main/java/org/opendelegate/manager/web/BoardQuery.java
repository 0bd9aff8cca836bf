package org.opendelegate.manager.web;

import io.javalin.http.Context;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.opendelegate.manager.delegates.DelegateFilter;
import org.opendelegate.manager.problems.DomainProblem;

/**
 * What the Delegates page shows: the filter box (text, status, group) and the page number. Read from the
 * request's query, or, for the live refresh and the forms that redraw the board, from the page's own
 * address (htmx sends it as {@code HX-Current-URL}), so a refresh keeps the page and filter the person chose.
 *
 * @param text the search text as typed (name or selector), or empty
 * @param status {@code CONNECTED}, {@code DISCONNECTED} or empty
 * @param group a group name or id to show alone, or empty
 * @param page the page, from 1
 */
public record BoardQuery(DelegateFilter filter, String text, String status, String group, int page) {
    /** The most pages addressed: far beyond any fleet the quotas allow at 50 per page. */
    static final int MAX_PAGE = 1_000_000;

    static final BoardQuery FIRST = of(null, null, null, null);

    static BoardQuery of(String text, String status, String group, String page) {
        DelegateFilter filter = DelegateFilter.of(status, group, null, text);
        return new BoardQuery(
                filter,
                text == null ? "" : text.strip(),
                filter.status() == null ? "" : filter.status(),
                filter.group() == null ? "" : filter.group(),
                pageOf(page));
    }

    /** The query of this request, or of the page it was sent from when it has none. */
    static BoardQuery of(Context ctx) {
        if (ctx.queryString() != null && !ctx.queryString().isBlank()) {
            return fromParams(ctx.queryParamMap().entrySet().stream()
                    .filter(e -> !e.getValue().isEmpty())
                    .collect(
                            HashMap::new,
                            (m, e) -> m.put(e.getKey(), e.getValue().get(0)),
                            Map::putAll));
        }
        return fromPageAddress(ctx.header("HX-Current-URL"));
    }

    /** The address of another page of the same list. */
    public String url(int otherPage) {
        StringBuilder sb = new StringBuilder("/setup/delegates?");
        append(sb, "q", text);
        append(sb, "status", status);
        append(sb, "group", group);
        return sb.append("page=").append(otherPage).toString();
    }

    /** True when the box narrows the list. */
    public boolean filtered() {
        return !filter.isEmpty();
    }

    private static BoardQuery fromPageAddress(String address) {
        if (address == null) {
            return FIRST;
        }
        URI uri;
        try {
            uri = URI.create(address);
        } catch (IllegalArgumentException e) {
            return FIRST;
        }
        String raw = uri.getRawQuery();
        // Only the Delegates page's own address says what it shows; any other page's query means nothing here.
        if (raw == null || !"/setup/delegates".equals(uri.getPath())) {
            return FIRST;
        }
        Map<String, String> params = new HashMap<>();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                try {
                    params.putIfAbsent(
                            pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    return FIRST;
                }
            }
        }
        return fromParams(params);
    }

    private static BoardQuery fromParams(Map<String, String> params) {
        return of(params.get("q"), params.get("status"), params.get("group"), params.get("page"));
    }

    private static int pageOf(String raw) {
        if (raw == null || raw.isBlank()) {
            return 1;
        }
        try {
            int page = Integer.parseInt(raw.trim());
            if (page >= 1 && page <= MAX_PAGE) {
                return page;
            }
        } catch (NumberFormatException e) {
            // Refused below, with the same words as an out-of-range number.
        }
        throw DomainProblem.invalidField("page", "must be a whole number from 1; the pager's links give valid ones.");
    }

    private static void append(StringBuilder sb, String name, String value) {
        if (!value.isEmpty()) {
            sb.append(name)
                    .append('=')
                    .append(URLEncoder.encode(value, StandardCharsets.UTF_8))
                    .append('&');
        }
    }
}
