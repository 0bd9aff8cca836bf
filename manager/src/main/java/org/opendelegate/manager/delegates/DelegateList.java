package org.opendelegate.manager.delegates;

import java.util.List;

/**
 * One page of the delegates of an account, as {@code GET /api/v1/delegates} answers it.
 *
 * @param delegates at most {@code limit} delegates, by group name, then name
 * @param total how many delegates match the filter, on every page
 * @param limit the page size used
 * @param nextCursor what to send as {@code cursor} for the next page; null (left out of the JSON) on the last page
 */
public record DelegateList(List<DelegateView> delegates, int total, int limit, String nextCursor) {}
