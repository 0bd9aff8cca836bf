package org.opendelegate.manager.web;

import java.util.List;

/**
 * The live part of the Delegates page: one page of the delegates, under the cards of their groups, refreshed
 * every few seconds. Counts are for the whole account; the rows are at most one page.
 *
 * @param groups the cards of the groups this page shows rows of (or empty groups, when nothing filters)
 * @param groupCount every group of the account
 * @param delegates the delegates that count: every one but the replaced tasks
 * @param replaced disconnected ephemeral delegates (replaced ECS tasks)
 * @param retention how long replaced tasks stay listed, e.g. "30 min"
 * @param pager where this page is among the matching delegates
 */
public record Board(
        List<GroupCard> groups,
        int groupCount,
        int delegates,
        int connected,
        int replaced,
        boolean canChange,
        String retention,
        Pager pager) {

    public boolean isEmpty() {
        return delegates == 0 && replaced == 0 && groupCount == 0;
    }

    /**
     * Where a page is: entries {@code from} to {@code to} of {@code matching} (an entry is a delegate, or a
     * group without one), page {@code page} of {@code pages}.
     */
    public record Pager(BoardQuery query, int from, int to, int matching, int page, int pages) {
        public boolean hasPrevious() {
            return page > 1;
        }

        public boolean hasNext() {
            return page < pages;
        }

        public String previousUrl() {
            return query.url(page - 1);
        }

        public String nextUrl() {
            return query.url(page + 1);
        }
    }
}
