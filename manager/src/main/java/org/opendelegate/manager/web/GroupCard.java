package org.opendelegate.manager.web;

import java.util.List;

/**
 * A delegate group on the Delegates page: its selectors, its members, and its replaced ephemeral
 * members folded into one line.
 *
 * @param selectorsJson the group's selectors as a JSON array, for the Edit Selectors dialog
 * @param replaced disconnected members whose identity was ephemeral (replaced ECS tasks)
 * @param profileId the delegate profile the group sets for its members, or null (each its own)
 * @param profileName that profile's name, or null
 * @param locked true when only tokens bound to the group may register delegates into it
 * @param accountWideCount members that registered with an account-wide token
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
        int accountWideCount) {

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
