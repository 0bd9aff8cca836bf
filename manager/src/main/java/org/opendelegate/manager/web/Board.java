package org.opendelegate.manager.web;

import java.util.List;

/**
 * The live part of the Delegates page: every group with its delegates, refreshed every few seconds.
 *
 * @param delegates the delegates that count: every one but the replaced tasks
 * @param replaced disconnected ephemeral delegates (replaced ECS tasks)
 * @param retention how long replaced tasks stay listed, e.g. "30 min"
 */
public record Board(
        List<GroupCard> groups, int delegates, int connected, int replaced, boolean canChange, String retention) {

    public boolean isEmpty() {
        return delegates == 0 && replaced == 0 && groups.isEmpty();
    }
}
