package org.opendelegate.manager.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.opendelegate.manager.delegates.DelegateAdmin;
import org.opendelegate.manager.delegates.DelegateFilter;
import org.opendelegate.manager.delegates.ResolvedDelegate;
import org.opendelegate.manager.dispatch.TaskService;
import org.opendelegate.manager.dispatch.TaskSource;
import org.opendelegate.manager.dispatch.TaskView;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.users.SignedIn;

/** Builds the Tasks list from what {@link TaskService} lists, the same data as {@code GET /api/v1/tasks}. */
public final class TaskList {
    static final int SHOWN = 100;
    /** How far back a search by id looks among the newest tasks (an exact id is found at any age). */
    static final int SEARCHED = 1000;

    /**
     * What the list is filtered by; blank means not filtered, except {@code source}: blank hides the lookups the
     * console ran for cloud provider pages (they would bury a person's own tasks), {@code all} shows every source.
     */
    public record Filter(String state, String type, String q, String source) {
        /** The source filter that shows every task. */
        public static final String ALL_SOURCES = "all";

        static Filter of(String state, String type, String q, String source) {
            return new Filter(
                    blank(state).toUpperCase(Locale.ROOT),
                    blank(type),
                    blank(q),
                    blank(source).toLowerCase(Locale.ROOT));
        }

        public boolean any() {
            return !state.isEmpty() || !type.isEmpty() || !q.isEmpty() || !source.isEmpty();
        }

        /** True when the list leaves out the console's own lookups (the default). */
        public boolean hidesConsoleLookups() {
            return source.isEmpty();
        }

        /** The sources to list, as {@link TaskService#list} takes them. */
        String sources() {
            if (source.isEmpty()) {
                return TaskSource.API.wire() + "," + TaskSource.LOOKUP.wire();
            }
            return source.equals(ALL_SOURCES) ? "" : source;
        }

        /** The list's own address with these filters, so a reload keeps them. */
        public String url() {
            StringBuilder u = new StringBuilder("/tasks");
            String sep = "?";
            for (String[] p : new String[][] {{"state", state}, {"type", type}, {"q", q}, {"source", source}}) {
                if (!p[1].isEmpty()) {
                    u.append(sep).append(p[0]).append('=').append(URLEncoder.encode(p[1], StandardCharsets.UTF_8));
                    sep = "&";
                }
            }
            return u.toString();
        }

        private static String blank(String s) {
            return s == null ? "" : s.trim();
        }
    }

    /** One task as a row. */
    public record Row(
            String id,
            String shortId,
            String type,
            String state,
            String delegate,
            int attempts,
            int maxAttempts,
            String created,
            String createdExact,
            String duration,
            String source) {
        /** A short tag for tasks the Manager started for a lookup, null for the API's own tasks. */
        public String sourceTag() {
            return TaskSource.CONSOLE_LOOKUP.wire().equals(source)
                    ? "console lookup"
                    : TaskSource.LOOKUP.wire().equals(source) ? "lookup" : null;
        }
    }

    /** The table: its rows, and whether more tasks match than are shown. */
    public record Table(List<Row> rows, Filter filter, boolean more) {}

    private final TaskService tasks;
    private final DelegateAdmin delegateAdmin;
    private final Clock clock;

    TaskList(TaskService tasks, DelegateAdmin delegateAdmin, Clock clock) {
        this.tasks = tasks;
        this.delegateAdmin = delegateAdmin;
        this.clock = clock;
    }

    Table table(SignedIn user, Filter filter) {
        String type = filter.type().isEmpty() ? null : filter.type();
        List<TaskView> found;
        if (filter.q().isEmpty()) {
            found = tasks.list(user.accountId(), filter.state(), type, filter.sources(), SHOWN + 1);
        } else {
            found = search(user, filter, type);
        }
        Instant now = clock.instant();
        List<Row> rows = found.stream().limit(SHOWN).map(t -> row(t, now)).toList();
        return new Table(rows, filter, found.size() > SHOWN);
    }

    /** Tasks whose id contains the text, among the newest; an exact id of an older task is found too. */
    private List<TaskView> search(SignedIn user, Filter filter, String type) {
        String q = filter.q().toLowerCase(Locale.ROOT);
        List<TaskView> matches =
                new ArrayList<>(tasks.list(user.accountId(), filter.state(), type, filter.sources(), SEARCHED).stream()
                        .filter(t -> t.id().toLowerCase(Locale.ROOT).contains(q))
                        .toList());
        if (matches.isEmpty()) {
            try {
                TaskView exact = tasks.view(user.accountId(), filter.q());
                boolean fits = (filter.state().isEmpty() || exact.state().equals(filter.state()))
                        && (type == null || exact.type().equals(type));
                if (fits) {
                    matches.add(exact);
                }
            } catch (DomainProblem notFound) {
                // No task has this id: the list says "no tasks match".
            }
        }
        return matches;
    }

    /**
     * Task types to filter by: what the account's delegates run, and the one picked. Read from the
     * directory, not from delegate views, which would cost a view per delegate of the fleet.
     */
    List<String> types(SignedIn user, Filter filter) {
        TreeSet<String> types = new TreeSet<>();
        for (ResolvedDelegate d : delegateAdmin.listings().matching(user.accountId(), DelegateFilter.ALL)) {
            if (d.delegate().taskTypes() != null) {
                types.addAll(d.delegate().taskTypes());
            }
        }
        if (!filter.type().isEmpty()) {
            types.add(filter.type());
        }
        return List.copyOf(types);
    }

    static Row row(TaskView t, Instant now) {
        String delegate = t.delegateName() != null ? t.delegateName() : t.delegateId() != null ? t.delegateId() : "—";
        return new Row(
                t.id(),
                shortId(t.id()),
                t.type(),
                t.state(),
                delegate,
                t.attemptCount(),
                t.maxAttempts(),
                Ago.of(t.createdAt(), now),
                Ago.exact(t.createdAt()),
                Ago.between(t.startedAt(), t.finishedAt(), now),
                t.source());
    }

    static String shortId(String id) {
        return id.length() > 8 ? id.substring(0, 8) : id;
    }
}
