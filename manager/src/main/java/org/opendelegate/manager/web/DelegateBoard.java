package org.opendelegate.manager.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.opendelegate.manager.delegates.DelegateAdmin;
import org.opendelegate.manager.delegates.DelegateView;
import org.opendelegate.manager.delegates.GroupView;
import org.opendelegate.manager.profiles.DelegateProfiles;
import org.opendelegate.manager.users.SignedIn;
import org.opendelegate.protocol.ProtocolJson;

/** Builds the {@link Board} from what {@link DelegateAdmin} says, the same data the API returns. */
final class DelegateBoard {
    private final DelegateAdmin delegateAdmin;
    private final DelegateProfiles profiles;
    private final Duration retention;
    private final Clock clock;

    DelegateBoard(DelegateAdmin delegateAdmin, DelegateProfiles profiles, Duration retention, Clock clock) {
        this.delegateAdmin = delegateAdmin;
        this.profiles = profiles;
        this.retention = retention;
        this.clock = clock;
    }

    Board build(SignedIn user) {
        Instant now = clock.instant();
        List<DelegateView> all = delegateAdmin.delegates(user.accountId());
        List<GroupCard> cards = new ArrayList<>();
        for (GroupView g : delegateAdmin.groups(user.accountId())) {
            List<DelegateView> members = all.stream()
                    .filter(d -> d.groupId().equals(g.id()))
                    .sorted(Comparator.comparing((DelegateView d) -> !d.isConnected())
                            .thenComparing(DelegateView::name))
                    .toList();
            List<DelegateRow> shown = members.stream()
                    .filter(d -> !isReplaced(d))
                    .map(d -> DelegateRow.of(d, now))
                    .toList();
            List<DelegateRow> replaced = members.stream()
                    .filter(DelegateBoard::isReplaced)
                    .map(d -> DelegateRow.of(d, now))
                    .toList();
            // Replaced tasks are not counted: they will not come back, and must not make a group look unhealthy.
            var profile = profiles.groupProfile(user.accountId(), g.id());
            cards.add(new GroupCard(
                    g.id(),
                    g.name(),
                    g.selectors(),
                    json(g.selectors()),
                    g.connectedCount(),
                    shown.size(),
                    shown,
                    replaced,
                    profile.profileId(),
                    profile.profileName(),
                    g.locked(),
                    (int) members.stream()
                            .filter(DelegateView::usesAccountWideToken)
                            .count()));
        }
        cards.sort(Comparator.comparing(GroupCard::name, String.CASE_INSENSITIVE_ORDER));
        int connected = (int) all.stream().filter(DelegateView::isConnected).count();
        int replaced = (int) all.stream().filter(DelegateBoard::isReplaced).count();
        return new Board(cards, all.size() - replaced, connected, replaced, user.canAdminister(), describe(retention));
    }

    /** A disconnected member named by container id: a replaced ECS task, not a delegate that will return. */
    static boolean isReplaced(DelegateView d) {
        return !d.isConnected() && "EPHEMERAL".equals(d.identityKind());
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
