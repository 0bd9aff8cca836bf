package org.opendelegate.manager;

import java.io.PrintStream;

/** Prints, once, what the first start generated: the only time those secrets are ever shown. */
final class FirstStartBanner {
    private FirstStartBanner() {}

    static void print(ManagerServer server) {
        print(server, System.out);
    }

    static void print(ManagerServer server, PrintStream out) {
        var result = server.bootstrap();
        String url = server.config().externalUrl().toString().replaceAll("/+$", "");
        out.println();
        out.println("  OpenDelegate Manager is up: " + url);
        out.println("  Account id:     " + result.accountId());
        if (result.created()) {
            result.adminApiKey().ifPresent(key -> out.println("  Admin API key:  " + key));
            result.delegateToken().ifPresent(token -> out.println("  Delegate token: " + token));
        }
        out.println("  Console:        " + url + "/login");
        result.adminPassword().ifPresent(password -> out.println("  Console sign-in: admin / " + password));
        if (result.adminApiKey().isPresent()
                || result.delegateToken().isPresent()
                || result.adminPassword().isPresent()) {
            out.println("  These secrets are shown only now and stored only as hashes; keep them safe.");
        }
        out.println();
        out.flush();
    }
}
