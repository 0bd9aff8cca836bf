package org.opendelegate.manager.security;

/** The Manager cannot start for a reason a person can fix; the message says what to do. */
public final class StartupException extends RuntimeException {
    public StartupException(String message) {
        super(message);
    }
}
