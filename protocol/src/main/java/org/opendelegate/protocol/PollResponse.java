package org.opendelegate.protocol;

import java.util.List;

/**
 * The answer to a poll: tasks now leased to this delegate, and running tasks to cancel. Both empty
 * when the wait ran out; the delegate polls again.
 *
 * @param assignments the tasks leased to the delegate
 * @param cancelTaskIds running tasks the delegate must stop
 */
public record PollResponse(List<TaskAssignment> assignments, List<String> cancelTaskIds) {}
