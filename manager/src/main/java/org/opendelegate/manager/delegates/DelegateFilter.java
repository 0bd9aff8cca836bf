package org.opendelegate.manager.delegates;

import java.util.Locale;
import java.util.regex.Pattern;
import org.opendelegate.manager.problems.DomainProblem;

/**
 * Which delegates a list shows: by connection status, group, selector and a text search. Every part is
 * optional; values are checked once here, so the API and the console refuse the same bad input with the
 * same words.
 *
 * @param status {@code CONNECTED}, {@code DISCONNECTED} or null for both
 * @param group a group's name (any case) or id, or null for every group
 * @param selector one effective selector the delegate must have (lower case), or null
 * @param q text the delegate's name or one of its selectors contains (lower case), or null
 */
public record DelegateFilter(String status, String group, String selector, String q) {
    /** The longest search text or group name accepted. */
    public static final int MAX_TEXT = 100;

    /** No filter: every delegate. */
    public static final DelegateFilter ALL = new DelegateFilter(null, null, null, null);

    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    /**
     * Reads a filter from request parameters; blank values mean "any".
     *
     * @throws DomainProblem naming the parameter that is not acceptable and what to send instead
     */
    public static DelegateFilter of(String status, String group, String selector, String q) {
        return new DelegateFilter(
                statusOf(status), text("group", group), lower(text("selector", selector)), lower(text("q", q)));
    }

    /** True when the filter lets every delegate through. */
    public boolean isEmpty() {
        return status == null && group == null && selector == null && q == null;
    }

    /** True when the filter says nothing about members, only perhaps about groups. */
    public boolean onlyGroup() {
        return status == null && selector == null && q == null;
    }

    /** True when the group is the one the filter names (or the filter names none). */
    public boolean matchesGroup(String groupId, String groupName) {
        return group == null || group.equals(groupId) || group.equalsIgnoreCase(groupName);
    }

    /** True when the delegate, connected or not as given, passes the filter. */
    public boolean matches(ResolvedDelegate d, boolean connected) {
        if (status != null && status.equals(DelegateView.CONNECTED) != connected) {
            return false;
        }
        if (!matchesGroup(d.group().id(), d.group().name())) {
            return false;
        }
        if (selector != null && !d.selectorValues().contains(selector)) {
            return false;
        }
        return q == null || contains(d.name(), q) || d.selectorValues().stream().anyMatch(s -> s.contains(q));
    }

    private static boolean contains(String value, String lowerNeedle) {
        return value != null && value.toLowerCase(Locale.ROOT).contains(lowerNeedle);
    }

    private static String statusOf(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String status = raw.trim().toUpperCase(Locale.ROOT);
        if (!status.equals(DelegateView.CONNECTED) && !status.equals(DelegateView.DISCONNECTED)) {
            throw DomainProblem.invalidField(
                    "status",
                    "must be CONNECTED or DISCONNECTED (or left out for both); got a value of " + raw.length()
                            + " characters that is neither.");
        }
        return status;
    }

    private static String text(String field, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        // Control characters are refused before trimming: trim() would silently drop them at the ends.
        if (CONTROL.matcher(raw).find()) {
            throw DomainProblem.invalidField(field, "contains a control character; send plain text.");
        }
        String value = raw.strip();
        if (value.length() > MAX_TEXT) {
            throw DomainProblem.invalidField(
                    field, "is " + value.length() + " characters long; send at most " + MAX_TEXT + ".");
        }
        return value;
    }

    private static String lower(String value) {
        return value == null ? null : value.toLowerCase(Locale.ROOT);
    }
}
