package org.opendelegate.manager.deployments;

import java.util.List;

/**
 * One page of an account's deployments, newest first, as {@code GET /api/v1/deployments} answers it.
 *
 * @param deployments at most {@code limit} deployments
 * @param limit the page size used
 * @param nextCursor what to send as {@code cursor} for the next page; null (left out of the JSON) on the last page
 */
public record DeploymentList(List<DeploymentView> deployments, int limit, String nextCursor) {}
