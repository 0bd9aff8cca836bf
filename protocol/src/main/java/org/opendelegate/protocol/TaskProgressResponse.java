package org.opendelegate.protocol;

/**
 * The Manager's answer to progress.
 *
 * @param cancelRequested the task was cancelled; stop it and report {@link OutcomeStatus#CANCELLED}
 */
public record TaskProgressResponse(boolean cancelRequested) {}
