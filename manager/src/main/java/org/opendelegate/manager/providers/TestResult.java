package org.opendelegate.manager.providers;

import org.opendelegate.manager.dispatch.SelectionLog;

/**
 * What Test found: connected (who the delegate acted as, through which delegate) or why not.
 *
 * @param message one sentence for a person: "Connected as ... in account ... through delegate ..." or why not
 * @param technicalDetails what AWS or its SDK said verbatim, when not connected and it said something
 * @param errorCode the problem code a lookup would have answered with, when not connected
 * @param selectionLog where the test task went and why, when not connected
 */
public record TestResult(
        boolean connected,
        String message,
        String account,
        String arn,
        String userId,
        Integer regionCount,
        String delegateName,
        String taskId,
        String errorCode,
        String errorKind,
        SelectionLog selectionLog,
        String technicalDetails) {}
