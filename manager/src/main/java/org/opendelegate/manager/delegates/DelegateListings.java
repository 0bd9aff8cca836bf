package org.opendelegate.manager.delegates;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.opendelegate.manager.config.DelegateTimings;
import org.opendelegate.manager.problems.DomainProblem;

/**
 * Lists of delegates that stay small whatever the fleet: filtered, paged, and turned into views only for the
 * delegates a page shows (a view resolves tokens and profile runs, which costs far more than a filter). The
 * REST API pages by cursor; the console pages by offset over its own order.
 */
public final class DelegateListings {
    /** Delegates per API page when the caller does not say. */
    public static final int DEFAULT_LIMIT = 100;
    /** The most delegates one API page holds. */
    public static final int MAX_LIMIT = 500;

    private final KnownDelegates known;
    private final DelegateTokens tokens;
    private final DelegateTimings timings;
    private final Clock clock;

    DelegateListings(KnownDelegates known, DelegateTokens tokens, DelegateTimings timings, Clock clock) {
        this.known = known;
        this.tokens = tokens;
        this.timings = timings;
        this.clock = clock;
    }

    /**
     * Reads the {@code limit} parameter: blank for {@link #DEFAULT_LIMIT}, else a whole number from 1 to
     * {@link #MAX_LIMIT}.
     *
     * @throws DomainProblem naming {@code limit} otherwise
     */
    public static int limit(String raw) {
        if (raw == null || raw.isBlank()) {
            return DEFAULT_LIMIT;
        }
        int limit;
        try {
            limit = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw DomainProblem.invalidField(
                    "limit",
                    "must be a whole number from 1 to " + MAX_LIMIT + " (default " + DEFAULT_LIMIT
                            + "); to see more, follow `nextCursor`.");
        }
        return limit;
    }

    /** One page of the matching delegates, by group name then name, starting after {@code cursor} (or null). */
    public DelegateList page(String accountId, DelegateFilter filter, String cursor, int limit) {
        DelegateCursor after = cursor == null || cursor.isBlank() ? null : DelegateCursor.decode(cursor);
        List<ResolvedDelegate> matching = matching(accountId, filter);
        List<ResolvedDelegate> rest = new ArrayList<>();
        for (ResolvedDelegate d : matching) {
            if (after == null || after.isBefore(d)) {
                rest.add(d);
            }
        }
        rest.sort(DelegateCursor.ORDER);
        List<ResolvedDelegate> shown = rest.subList(0, Math.min(limit, rest.size()));
        String next = rest.size() > limit
                ? DelegateCursor.after(shown.get(shown.size() - 1)).encode()
                : null;
        return new DelegateList(views(accountId, shown), matching.size(), limit, next);
    }

    /** The delegates of the account the filter lets through, in no particular order. */
    public List<ResolvedDelegate> matching(String accountId, DelegateFilter filter) {
        Instant now = clock.instant();
        List<ResolvedDelegate> result = new ArrayList<>();
        for (ResolvedDelegate d : known.inAccount(accountId)) {
            if (filter.matches(d, d.isConnected(now, timings.disconnectAfter()))) {
                result.add(d);
            }
        }
        return result;
    }

    /** True when the delegate is connected now. */
    public boolean isConnected(ResolvedDelegate d) {
        return d.isConnected(clock.instant(), timings.disconnectAfter());
    }

    /** How many members of each group registered with an account-wide token (one bound to no group). */
    public Map<String, Integer> accountWideByGroup(String accountId) {
        Set<String> accountWide = new HashSet<>();
        for (TokenView t : tokens.list(accountId)) {
            if (t.groupId() == null) {
                accountWide.add(t.id());
            }
        }
        Map<String, Integer> counts = new HashMap<>();
        for (ResolvedDelegate d : known.inAccount(accountId)) {
            String tokenId = d.delegate().tokenId();
            if (tokenId != null && accountWide.contains(tokenId)) {
                counts.merge(d.group().id(), 1, Integer::sum);
            }
        }
        return counts;
    }

    /** The views of the given delegates, in the order given. */
    public List<DelegateView> views(String accountId, List<ResolvedDelegate> delegates) {
        if (delegates.isEmpty()) {
            return List.of();
        }
        Instant now = clock.instant();
        Map<String, TokenView> tokensById =
                tokens.list(accountId).stream().collect(Collectors.toMap(TokenView::id, Function.identity()));
        List<DelegateView> views = new ArrayList<>(delegates.size());
        for (ResolvedDelegate d : delegates) {
            String tokenId = d.delegate().tokenId();
            views.add(DelegateView.of(
                    d, tokenId == null ? null : tokensById.get(tokenId), now, timings.disconnectAfter()));
        }
        return views;
    }
}
