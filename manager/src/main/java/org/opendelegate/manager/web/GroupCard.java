package org.opendelegate.manager.web;

import java.util.List;

/**
 * A delegate group on the Delegates page: its counts and selectors, the members the current page shows,
 * and its replaced ephemeral members of that page folded into one line. A large group is summarised by its
 * counts; its members are spread over pages.
 *
 * @param connected connected members of the whole group
 * @param total members of the whole group, replaced tasks not counted
 * @param members the members this page shows (not the replaced ones)
 * @param selectorsJson the group's selectors as a JSON array, for the Edit Selectors dialog
 * @param replaced disconnected members whose identity was ephemeral (replaced ECS tasks)
 * @param profileId the delegate profile the group sets for its members, or null (each its own)
 * @param profileName that profile's name, or null
 * @param locked true when only tokens bound to the group may register delegates into it
 * @param accountWideCount members that registered with an account-wide token
 * @param matching members of the group the filter lets through, on every page
 */
public record GroupCard(
        String id,
        String name,
        List<String> selectors,
        String selectorsJson,
        int connected,
        int total,
        List<DelegateRow> members,
        List<DelegateRow> replaced,
        String profileId,
        String profileName,
        boolean locked,
        int accountWideCount,
        int matching) {

    /** Members of the group that match but are on other pages. */
    public int elsewhere() {
        return Math.max(0, matching - members.size() - replaced.size());
    }

    /** "Showing 50 of 10,000 delegates of this group; the others are on other pages." */
    public String elsewhereLabel() {
        int here = members.size() + replaced.size();
        return "Showing " + here + " of " + matching + (matching == 1 ? " delegate" : " delegates")
                + " of this group here; the others are on other pages.";
    }

    /** "all", "some" or "none": how many members are connected, for the colour of the count. */
    public String health() {
        if (total == 0 || connected == 0) {
            return "none";
        }
        return connected == total ? "all" : "some";
    }

    /** The tooltip of the Locked / Unlocked badge. */
    public String lockTitle() {
        if (locked) {
            return "Only tokens bound to this group may register delegates into it";
        }
        String who = accountWideCount == 0
                ? ""
                : " " + accountWideCount + (accountWideCount == 1 ? " member uses" : " members use")
                        + " an account-wide token.";
        return "Any delegate token of the account may register delegates into this group." + who;
    }

    public String replacedLabel() {
        return replaced.size() == 1 ? "1 replaced task" : replaced.size() + " replaced tasks";
    }
}
