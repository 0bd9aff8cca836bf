package org.opendelegate.manager.web;

import java.time.Instant;
import java.util.List;
import org.opendelegate.manager.delegates.DelegateView;
import org.opendelegate.manager.delegates.EffectiveSelector;

/**
 * One delegate as a row of the Delegates page, with its profile run as a badge. Every string here may come from a delegate and is
 * untrusted; the templates escape all of it.
 *
 * @param accountWideToken the name of the account-wide token it registered with, or null (a token bound to
 *     its group, or none)
 * @param selectors every effective selector, explicit ones first; the row shows only the explicit ones (the
 *     implicit ones, its own name and its group's, are on the delegate's page)
 * @param running the tasks it runs now
 * @param capacity how many tasks it runs at once
 */
public record DelegateRow(
        String id,
        String name,
        String hostname,
        String ip,
        boolean connected,
        String statusTitle,
        String kind,
        String version,
        String profile,
        String heartbeat,
        String heartbeatExact,
        List<Chip> selectors,
        ProfileBadge profileBadge,
        String accountWideToken,
        int running,
        int capacity) {

    /**
     * The confirmation of Delete, shared by every row of a list (console.js puts the row's name for
     * {@code {name}}), so that a row carries only the delegate's id.
     */
    public static final String DELETE_TITLE = "Delete {name}?";

    public static final String DELETE_TEXT = "{name} is disconnected. Deleting removes it from this list; if it starts "
            + "again, it registers as a new delegate.";

    /**
     * One effective selector; implicit ones (group name, delegate name) are shown muted, self-declared ones
     * (which never route tasks that carry secrets) outlined.
     */
    public record Chip(String value, boolean implicit, boolean selfDeclared, String title) {
        private static final String TRUSTED = " · granted by an admin";
        private static final String SELF = " · self-declared: does not route tasks that carry secrets";

        static Chip of(EffectiveSelector s) {
            boolean self = !s.trusted();
            String title = switch (s.source()) {
                case EffectiveSelector.IMPLICIT -> self ? "Implicit: the delegate name" : "Implicit: the group name";
                case EffectiveSelector.GROUP -> "Set on the group";
                case EffectiveSelector.PROFILE ->
                    self
                            ? "Added by the profile the delegate picked (DELEGATE_PROFILE)"
                            : "Added by the profile the group assigns";
                default -> "Set on the delegate (DELEGATE_SELECTORS)";
            };
            return new Chip(s.value(), s.implicit(), self, title + (self ? SELF : TRUSTED));
        }
    }

    static DelegateRow of(DelegateView d, Instant now, int running) {
        String statusTitle = d.isConnected()
                ? "Connected since " + Ago.exact(d.connectedSince())
                : "Disconnected " + Ago.of(d.disconnectedAt(), now) + ": " + d.disconnectReason();
        return new DelegateRow(
                d.id(),
                d.name(),
                blankToDash(d.hostname()),
                blankToDash(d.ip()),
                d.isConnected(),
                statusTitle,
                kind(d.type(), d.launchType()),
                blankToDash(d.version()),
                d.profile().name(),
                Ago.of(d.lastHeartbeatAt(), now),
                Ago.exact(d.lastHeartbeatAt()),
                chips(d),
                ProfileBadge.of(d.profile()),
                d.usesAccountWideToken() ? d.registeredWith().tokenName() : null,
                running,
                d.capacity());
    }

    /** The selectors a row shows: those set on the delegate, its group or its profile, not the implicit ones. */
    public List<Chip> explicitSelectors() {
        return selectors.stream().filter(c -> !c.implicit()).toList();
    }

    /** Explicit selectors first (they are what people set), then the implicit ones. */
    private static List<Chip> chips(DelegateView d) {
        List<Chip> chips = new java.util.ArrayList<>(
                d.selectorDetails().stream().map(Chip::of).toList());
        chips.sort(java.util.Comparator.comparing(Chip::implicit));
        return List.copyOf(chips);
    }

    /** The line under the name: the host name when it says more than the name, and the address. */
    public String where() {
        return hostname.equals(name) || hostname.equals("—") ? ip : hostname + " · " + ip;
    }

    /** "ECS on Fargate", "ECS on EC2", "Shell", "Docker". */
    static String kind(String type, String launchType) {
        if ("ECS".equals(type)) {
            if (launchType == null) {
                return "ECS";
            }
            return switch (launchType) {
                case "FARGATE" -> "ECS on Fargate";
                case "EC2" -> "ECS on EC2";
                case "EXTERNAL" -> "ECS Anywhere";
                default -> "ECS";
            };
        }
        return "DOCKER".equals(type) ? "Docker" : "Shell";
    }

    private static String blankToDash(String value) {
        return value == null || value.isBlank() ? "—" : value;
    }
}
