package org.opendelegate.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code opendelegate} client commands: {@code run}, {@code tasks}, {@code delegates}. The composition
 * root of the CLI: picocli parses, each command calls the Manager's REST API, and the exit code tells a
 * pipeline what happened ({@link ExitCodes}).
 */
@Command(
        name = "opendelegate",
        mixinStandardHelpOptions = true,
        versionProvider = CliMain.Version.class,
        description = "Run scripts on delegates and look at tasks, from a terminal or a CI job.",
        subcommands = {RunCommand.class, TasksCommand.class, DelegatesCommand.class})
public final class CliMain {

    private CliMain() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs one command line; returns the exit code. */
    static int run(String... args) {
        CommandLine cli = new CommandLine(new CliMain());
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            if (e instanceof ApiException api) {
                commandLine.getErr().println("opendelegate: " + api.getMessage());
                return api.exitCode();
            }
            throw e;
        });
        cli.setErr(new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
        return cli.execute(args);
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = CliMain.class.getPackage().getImplementationVersion();
            return new String[] {"opendelegate " + (version == null ? "(development)" : version)};
        }
    }
}
