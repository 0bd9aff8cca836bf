package org.opendelegate.manager.web;

import io.javalin.http.Context;

/** Makes the {@link Shell} of a page for the signed-in user of the request. */
final class ShellFactory {
    private final String version;

    ShellFactory(String version) {
        this.version = version;
    }

    Shell shell(Context ctx, String title, String current) {
        return new Shell(title, current, ConsoleRequests.signedIn(ctx), version);
    }
}
