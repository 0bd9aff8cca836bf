package org.opendelegate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code opendelegate tasks list|get|cancel|log}: look at tasks and act on them. */
@Command(
        name = "tasks",
        mixinStandardHelpOptions = true,
        description = "List, inspect, cancel tasks and read their logs.",
        subcommands = {
            TasksCommand.ListTasks.class,
            TasksCommand.GetTask.class,
            TasksCommand.CancelTask.class,
            TasksCommand.TaskLog.class
        })
final class TasksCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The newest tasks first.")
    static final class ListTasks implements Callable<Integer> {
        @Mixin
        private ClientOptions client;

        @Option(names = "--state", description = "Only tasks in this state, e.g. RUNNING, FAILED.")
        private String state;

        @Option(names = "--type", description = "Only tasks of this type, e.g. shell.script.")
        private String type;

        @Option(names = "--limit", defaultValue = "50", description = "At most this many (1-1000; default 50).")
        private int limit;

        @Override
        public Integer call() {
            Map<String, String> filters = new LinkedHashMap<>();
            filters.put("state", state);
            filters.put("type", type);
            filters.put("limit", String.valueOf(limit));
            JsonNode tasks = client.api().tasks(filters).path("tasks");
            if (client.json()) {
                System.out.println(tasks.toString());
                return ExitCodes.OK;
            }
            Table table = new Table("ID", "STATE", "TYPE", "DELEGATE", "CREATED");
            for (JsonNode t : tasks) {
                table.row(
                        text(t, "id"),
                        text(t, "state"),
                        text(t, "type"),
                        text(t, "delegateName"),
                        text(t, "createdAt"));
            }
            table.print(System.out);
            return ExitCodes.OK;
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "One task: state, result, error.")
    static final class GetTask implements Callable<Integer> {
        @Mixin
        private ClientOptions client;

        @Parameters(paramLabel = "TASK_ID")
        private String taskId;

        @Override
        public Integer call() {
            JsonNode task = client.api().task(taskId);
            if (client.json()) {
                System.out.println(task.toString());
                return ExitCodes.OK;
            }
            Table table = new Table("FIELD", "VALUE");
            for (String field : new String[] {
                "id",
                "type",
                "state",
                "delegateName",
                "attemptCount",
                "createdBy",
                "createdAt",
                "startedAt",
                "finishedAt"
            }) {
                table.row(field, text(task, field));
            }
            if (task.hasNonNull("result")) {
                table.row("result", task.get("result").toString());
            }
            if (task.hasNonNull("error")) {
                table.row("error", task.get("error").path("message").asText());
            }
            table.print(System.out);
            return ExitCodes.OK;
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a task that has not ended.")
    static final class CancelTask implements Callable<Integer> {
        @Mixin
        private ClientOptions client;

        @Parameters(paramLabel = "TASK_ID")
        private String taskId;

        @Override
        public Integer call() {
            JsonNode task = client.api().cancelTask(taskId);
            System.out.println(
                    client.json()
                            ? task.toString()
                            : "task " + text(task, "id") + ": " + text(task, "state")
                                    + ("RUNNING".equals(text(task, "state"))
                                            ? " (cancel requested; the delegate stops it)"
                                            : ""));
            return ExitCodes.OK;
        }
    }

    @Command(name = "log", mixinStandardHelpOptions = true, description = "Print a task's log; -f follows it.")
    static final class TaskLog implements Callable<Integer> {
        @Mixin
        private ClientOptions client;

        @Parameters(paramLabel = "TASK_ID")
        private String taskId;

        @Option(
                names = {"-f", "--follow"},
                description = "Keep printing until the task ends; exit with its code.")
        private boolean follow;

        @Override
        public Integer call() throws InterruptedException {
            TaskFollower follower = new TaskFollower(client.api(), System.out, System.err, client.json());
            if (!follow) {
                follower.printOnce(taskId);
                return ExitCodes.OK;
            }
            return ExitCodes.of(follower.follow(taskId));
        }
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? "" : value.asText();
    }
}
