package org.opendelegate.manager.problems;

/**
 * What kind of refusal a {@link DomainProblem} is. It says whose move it is (fix the input, sign in, ask
 * an admin, wait, fix the outside system); the HTTP adapter alone turns a kind into a status code.
 */
public enum ProblemKind {
    /** The input is wrong: a field, a format, a missing value. */
    INVALID,
    /**
     * The input is well formed but names something the account does not have (a task referencing a secret that
     * does not exist): create it or correct the name.
     */
    UNRESOLVED_REFERENCE,
    /** The caller is not known: no or a bad credential. */
    UNAUTHORIZED,
    /** The caller is known but may not do this (e.g. a viewer changing something). */
    FORBIDDEN,
    /** The thing named does not exist (in the caller's account). */
    NOT_FOUND,
    /** The request clashes with the current state (a duplicate name, a lost lease, a replaced session). */
    CONFLICT,
    /** The input is larger than the Manager accepts. */
    TOO_LARGE,
    /** The input is in a format the Manager does not read. */
    UNSUPPORTED_FORMAT,
    /** The outside system understood the request and refused it (e.g. AWS refused a lookup). */
    REFUSED_OUTSIDE,
    /** Work needed something that was not there (e.g. no eligible delegate for a task). */
    DEPENDENCY_MISSING,
    /** The outside system could not be reached or failed (e.g. the delegate could not call AWS). */
    OUTSIDE_FAILED,
    /** The Manager cannot do this now (shutting down, built without a part): try again later. */
    UNAVAILABLE,
    /** The outside system gave no answer within the time budget. */
    OUTSIDE_TIMED_OUT,
    /** The caller went over a rate (registrations per minute, log lines per second): wait, then retry. */
    LIMIT_REACHED,
    /** The account holds as many of a thing as its quota allows: remove one, or raise the quota. */
    QUOTA_REACHED
}
