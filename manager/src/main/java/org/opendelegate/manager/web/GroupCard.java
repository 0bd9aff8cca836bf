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
        String profileName) {

    /** "all", "some" or "none": how many members are connected, for the colour of the count. */
    public String health() {
        if (total == 0 || connected == 0) {
            return "none";
        }
        return connected == total ? "all" : "some";
    }

    public String replacedLabel() {
        return replaced.size() == 1 ? "1 replaced task" : replaced.size() + " replaced tasks";
    }
}
