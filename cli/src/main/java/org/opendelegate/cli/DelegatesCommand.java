package org.opendelegate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code opendelegate delegates list}: which delegates the account has and whether they are connected. */
@Command(
        name = "delegates",
        mixinStandardHelpOptions = true,
        description = "The account's delegates.",
        subcommands = DelegatesCommand.ListDelegates.class)
final class DelegatesCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Name, status, group, selectors.")
    static final class ListDelegates implements Callable<Integer> {
        @Mixin
        private ClientOptions client;

        @Override
        public Integer call() {
            JsonNode delegates = client.api().delegates().path("delegates");
            if (client.json()) {
                System.out.println(delegates.toString());
                return ExitCodes.OK;
            }
            Table table = new Table("NAME", "STATUS", "GROUP", "SELECTORS", "TASK TYPES", "LAST HEARTBEAT");
            for (JsonNode d : delegates) {
                table.row(
                        TasksCommand.text(d, "name"),
                        TasksCommand.text(d, "status"),
                        TasksCommand.text(d, "groupName"),
                        join(d.path("selectors")),
                        join(d.path("taskTypes")),
                        TasksCommand.text(d, "lastHeartbeatAt"));
            }
            table.print(System.out);
            return ExitCodes.OK;
        }

        private static String join(JsonNode values) {
            StringBuilder joined = new StringBuilder();
            for (JsonNode value : values) {
                joined.append(joined.length() == 0 ? "" : ",").append(value.asText());
            }
            return joined.toString();
        }
    }
}
