package org.opendelegate.manager.http;

import java.io.IOException;

/**
 * A request body that did not arrive in time or fast enough. An {@link IOException} of its own (not a
 * {@link java.util.concurrent.TimeoutException}), so that it reaches {@link ProblemRenderer} and is
 * answered with a 408 problem that says why.
 */
final class BodyTooSlow extends IOException {
    BodyTooSlow(String message) {
        super(message);
    }
}
