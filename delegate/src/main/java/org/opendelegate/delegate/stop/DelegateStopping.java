package org.opendelegate.delegate.stop;

/**
 * Thrown inside a loop once the delegate must stop because of a fatal answer; the {@link StopSignal}
 * has already been told. The loop ends quietly.
 */
public final class DelegateStopping extends Exception {
    private final ExitCode exitCode;

    public DelegateStopping(ExitCode exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    /** Why. */
    public ExitCode exitCode() {
        return exitCode;
    }
}
