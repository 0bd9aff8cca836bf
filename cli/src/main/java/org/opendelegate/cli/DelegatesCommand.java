package org.opendelegate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.opendelegate.protocol.ProtocolJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code opendelegate delegates list}: which delegates the account has and whether they are connected. */
@Command(
        name = "delegates",
        mixinStandardHelpOptions = true,
        description = "The account's delegates.",
        subcommands = DelegatesCommand.ListDelegates.class)
final class DelegatesCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Name, status, group, selectors.")
    static final class ListDelegates implements Callable<Integer> {
        private static final int PAGE = 500;

        @Mixin
        private ClientOptions client;

        @Option(names = "--status", description = "CONNECTED or DISCONNECTED.")
        private String status;

        @Option(names = "--selector", description = "Only delegates with this selector.")
        private String selector;

        @Option(names = "--limit", defaultValue = "1000", description = "At most this many (default 1000).")
        private int limit;

        @Override
        public Integer call() {
            JsonNode delegates = fetch(client.api());
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

        /** Follows the Manager's pages (it never answers more than a page at once) up to {@code --limit}. */
        private ArrayNode fetch(ManagerApi api) {
            ArrayNode all = ProtocolJson.mapper().createArrayNode();
            String cursor = null;
            do {
                Map<String, String> filters = new LinkedHashMap<>();
                filters.put("status", status);
                filters.put("selector", selector);
                filters.put("limit", String.valueOf(Math.min(PAGE, Math.max(1, limit - all.size()))));
                filters.put("cursor", cursor);
                JsonNode page = api.delegates(filters);
                page.path("delegates").forEach(all::add);
                cursor = page.path("nextCursor").asText(null);
            } while (cursor != null && all.size() < limit);
            return all;
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
