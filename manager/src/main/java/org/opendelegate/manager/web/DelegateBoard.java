package org.opendelegate.manager.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.opendelegate.manager.delegates.DelegateAdmin;
import org.opendelegate.manager.delegates.DelegateFilter;
import org.opendelegate.manager.delegates.DelegateListings;
import org.opendelegate.manager.delegates.DelegateView;
import org.opendelegate.manager.delegates.GroupView;
import org.opendelegate.manager.delegates.ResolvedDelegate;
import org.opendelegate.manager.dispatch.TaskService;
import org.opendelegate.manager.profiles.DelegateProfiles;
import org.opendelegate.manager.users.SignedIn;
import org.opendelegate.protocol.ProtocolJson;

/**
 * Builds one page of the {@link Board} from what {@link DelegateAdmin} says, the same data the API returns.
 * The delegates are laid out group by group (groups by name; in a group connected first, replaced tasks
 * last, then by name) and cut into pages of {@link #PAGE_SIZE}, so the page stays small whatever the fleet:
 * only the delegates of the page become views and rows. An empty group takes one place in that order while
 * nothing but a group filters the list, so a group without delegates still has its card.
 */
final class DelegateBoard {
    /** Rows (delegates or empty groups) per page. */
    static final int PAGE_SIZE = 50;
    /** A delegate's own page: every detail the row leaves out. */
    static final String DELEGATE_PAGE = "/setup/delegates/";

    /** A delegate with what the board needs to place it. */
    private record Member(ResolvedDelegate delegate, boolean connected, boolean replaced) {}

    /** One place in the board's order: a delegate of a group, or a group without one (member null). */
    private record Entry(GroupView group, Member member) {}

    private static final Comparator<Member> IN_GROUP = Comparator.comparing(Member::replaced)
            .thenComparing(m -> !m.connected())
            .thenComparing(m -> m.delegate().name());

    private final DelegateAdmin delegateAdmin;
    private final DelegateProfiles profiles;
    private final TaskService tasks;
    private final Duration retention;
    private final Clock clock;

    DelegateBoard(
            DelegateAdmin delegateAdmin,
            DelegateProfiles profiles,
            TaskService tasks,
            Duration retention,
            Clock clock) {
        this.delegateAdmin = delegateAdmin;
        this.tasks = tasks;
        this.profiles = profiles;
        this.retention = retention;
        this.clock = clock;
    }

    Board build(SignedIn user, BoardQuery query) {
        String accountId = user.accountId();
        DelegateListings listings = delegateAdmin.listings();
        Map<String, List<Member>> byGroup = new HashMap<>();
        Map<String, Integer> replacedByGroup = new HashMap<>();
        int[] counts = new int[3]; // delegates that count, connected, replaced
        for (ResolvedDelegate d : listings.matching(accountId, DelegateFilter.ALL)) {
            boolean connected = listings.isConnected(d);
            boolean replaced =
                    !connected && "EPHEMERAL".equals(d.delegate().identityKind().name());
            counts[replaced ? 2 : 0]++;
            counts[1] += connected ? 1 : 0;
            if (replaced) {
                replacedByGroup.merge(d.group().id(), 1, Integer::sum);
            }
            if (query.filter().matches(d, connected)) {
                byGroup.computeIfAbsent(d.group().id(), id -> new ArrayList<>())
                        .add(new Member(d, connected, replaced));
            }
        }
        List<GroupView> groups = new ArrayList<>(delegateAdmin.groups(accountId));
        groups.sort(Comparator.comparing(GroupView::name, String.CASE_INSENSITIVE_ORDER));
        List<Entry> entries = entries(groups, byGroup, query.filter());
        int pages = Math.max(1, (entries.size() + PAGE_SIZE - 1) / PAGE_SIZE);
        int page = Math.min(query.page(), pages);
        int from = (page - 1) * PAGE_SIZE;
        int to = Math.min(entries.size(), from + PAGE_SIZE);
        List<GroupCard> cards = cards(user, entries.subList(from, to), byGroup, replacedByGroup);
        return new Board(
                cards,
                groups.size(),
                counts[0],
                counts[1],
                counts[2],
                user.canAdminister(),
                describe(retention),
                new Board.Pager(query, entries.isEmpty() ? 0 : from + 1, to, entries.size(), page, pages));
    }

    private static List<Entry> entries(
            List<GroupView> groups, Map<String, List<Member>> byGroup, DelegateFilter filter) {
        List<Entry> entries = new ArrayList<>();
        for (GroupView g : groups) {
            List<Member> members = byGroup.getOrDefault(g.id(), List.of());
            if (members.isEmpty()) {
                if (filter.onlyGroup() && filter.matchesGroup(g.id(), g.name())) {
                    entries.add(new Entry(g, null));
                }
                continue;
            }
            members.sort(IN_GROUP);
            for (Member m : members) {
                entries.add(new Entry(g, m));
            }
        }
        return entries;
    }

    /** The cards of one page: consecutive entries of a group make one card; only their delegates get views. */
    private List<GroupCard> cards(
            SignedIn user, List<Entry> page, Map<String, List<Member>> byGroup, Map<String, Integer> replacedByGroup) {
        List<ResolvedDelegate> shown = new ArrayList<>();
        page.stream()
                .filter(e -> e.member() != null)
                .forEach(e -> shown.add(e.member().delegate()));
        Map<String, DelegateView> views = new HashMap<>();
        delegateAdmin.listings().views(user.accountId(), shown).forEach(v -> views.put(v.id(), v));
        Map<String, Integer> running = tasks.runningCounts(user.accountId(), views.keySet());
        // Replaced tasks are not counted in a group's total: they will not come back, and must not make a group
        // look unhealthy.
        Map<String, Integer> accountWide = delegateAdmin.listings().accountWideByGroup(user.accountId());
        Instant now = clock.instant();
        List<GroupCard> cards = new ArrayList<>();
        int at = 0;
        while (at < page.size()) {
            GroupView g = page.get(at).group();
            List<DelegateRow> rows = new ArrayList<>();
            List<DelegateRow> replaced = new ArrayList<>();
            for (; at < page.size() && page.get(at).group().id().equals(g.id()); at++) {
                Member m = page.get(at).member();
                if (m != null) {
                    (m.replaced() ? replaced : rows)
                            .add(DelegateRow.of(
                                    views.get(m.delegate().id()),
                                    now,
                                    running.getOrDefault(m.delegate().id(), 0)));
                }
            }
            int total = g.delegateCount() - replacedByGroup.getOrDefault(g.id(), 0);
            int matching = byGroup.getOrDefault(g.id(), List.of()).size();
            cards.add(card(user, g, rows, replaced, total, accountWide.getOrDefault(g.id(), 0), matching));
        }
        return cards;
    }

    private GroupCard card(
            SignedIn user,
            GroupView g,
            List<DelegateRow> rows,
            List<DelegateRow> replaced,
            int total,
            int accountWide,
            int matching) {
        var profile = profiles.groupProfile(user.accountId(), g.id());
        return new GroupCard(
                g.id(),
                g.name(),
                g.selectors(),
                json(g.selectors()),
                g.connectedCount(),
                total,
                rows,
                replaced,
                profile.profileId(),
                profile.profileName(),
                g.locked(),
                accountWide,
                matching);
    }

    private static String describe(Duration d) {
        if (d.toMinutes() < 1) {
            return d.toSeconds() + " s";
        }
        return d.toHours() >= 2 && d.toMinutesPart() == 0 ? d.toHours() + " h" : d.toMinutes() + " min";
    }

    private static String json(List<String> selectors) {
        try {
            return ProtocolJson.mapper().writeValueAsString(selectors);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a list of strings is always serialisable", e);
        }
    }
}
