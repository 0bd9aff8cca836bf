package org.opendelegate.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Where the Manager is, how to sign in, and how to print: shared by every client command. */
final class ClientOptions {
    /** How a command prints what it found. */
    enum Output {
        text,
        json
    }

    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    @Option(
            names = "--url",
            defaultValue = "${env:OPENDELEGATE_URL:-http://localhost:8080}",
            description = "The Manager's URL (env OPENDELEGATE_URL; default: ${DEFAULT-VALUE}).")
    private String url;

    @Option(
            names = "--api-key",
            defaultValue = "${env:OPENDELEGATE_API_KEY}",
            description = "An API key of the account (env OPENDELEGATE_API_KEY). Prefer the variable: flags show in"
                    + " process lists.")
    private String apiKey;

    @Option(
            names = {"-o", "--output"},
            defaultValue = "text",
            description = "text for people, json for machines (one JSON document on standard output).")
    private Output output;

    /** The API, once the URL and key are known to be usable. */
    ManagerApi api() {
        if (apiKey == null || apiKey.isBlank()) {
            throw new ParameterException(
                    mixee.commandLine(), "No API key: set OPENDELEGATE_API_KEY (or pass --api-key).");
        }
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new ParameterException(
                    mixee.commandLine(),
                    "--url / OPENDELEGATE_URL ('" + url + "') must start with http:// or https://");
        }
        return new ManagerApi(url, apiKey.trim());
    }

    boolean json() {
        return output == Output.json;
    }
}
