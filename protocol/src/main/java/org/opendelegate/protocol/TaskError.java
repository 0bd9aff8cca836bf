package org.opendelegate.protocol;

/**
 * A task failure.
 *
 * @param kind what kind of failure, for routing
 * @param message what went wrong, for a person
 */
public record TaskError(ErrorKind kind, String message) {}
