package org.opendelegate.cli;

/**
 * The Manager said no, or could not be reached. The message is what a person needs: the problem's own
 * detail when the Manager sent one.
 */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    ApiException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    /** The code the command exits with because of it. */
    int exitCode() {
        return exitCode;
    }
}
