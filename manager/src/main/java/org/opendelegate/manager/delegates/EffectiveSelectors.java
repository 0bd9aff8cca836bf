package org.opendelegate.manager.delegates;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes a delegate's effective selectors: its group's selectors ∪ its profile's ∪ its own ∪ the
 * implicit ones (group name and delegate name), case-insensitive, each with its source and whether an
 * admin granted it. A change to a group's selectors therefore shows on every member at once: nothing is
 * copied into the delegates.
 *
 * <p>When a selector comes from several sources, an admin-granted one wins (the selector is trusted even
 * if the delegate also declares it), then an explicit one over an implicit one.
 */
public final class EffectiveSelectors {
    private EffectiveSelectors() {}

    /** The effective selectors of a delegate without a profile, sorted by value. */
    public static List<EffectiveSelector> of(
            String groupName, List<String> groupSelectors, String delegateName, List<String> delegateSelectors) {
        return of(groupName, groupSelectors, delegateName, delegateSelectors, List.of(), false);
    }

    /**
     * The effective selectors with those the delegate's profile adds.
     *
     * @param profileViaGroup true when the profile is the one the group assigns (its selectors are
     *     trusted), false when the delegate picked it itself with {@code DELEGATE_PROFILE}
     */
    public static List<EffectiveSelector> of(
            String groupName,
            List<String> groupSelectors,
            String delegateName,
            List<String> delegateSelectors,
            List<String> profileSelectors,
            boolean profileViaGroup) {
        Map<String, EffectiveSelector> bySelector = new LinkedHashMap<>();
        EffectiveSelector.Trust profileTrust =
                profileViaGroup ? EffectiveSelector.Trust.TRUSTED : EffectiveSelector.Trust.SELF_DECLARED;
        // Granted by an admin first, so that a delegate declaring the same selector does not demote it.
        add(bySelector, groupSelectors, EffectiveSelector.GROUP, EffectiveSelector.Trust.TRUSTED);
        if (profileViaGroup) {
            add(bySelector, profileSelectors, EffectiveSelector.PROFILE, profileTrust);
        }
        add(bySelector, List.of(groupName), EffectiveSelector.IMPLICIT, EffectiveSelector.Trust.TRUSTED);
        if (!profileViaGroup) {
            add(bySelector, profileSelectors, EffectiveSelector.PROFILE, profileTrust);
        }
        add(bySelector, delegateSelectors, EffectiveSelector.DELEGATE, EffectiveSelector.Trust.SELF_DECLARED);
        add(bySelector, List.of(delegateName), EffectiveSelector.IMPLICIT, EffectiveSelector.Trust.SELF_DECLARED);
        List<EffectiveSelector> result = new ArrayList<>(bySelector.values());
        result.sort((a, b) -> a.value().compareTo(b.value()));
        return List.copyOf(result);
    }

    /** Just the values. */
    public static List<String> values(List<EffectiveSelector> selectors) {
        return selectors.stream().map(EffectiveSelector::value).toList();
    }

    /** Just the values an admin granted. */
    public static List<String> trustedValues(List<EffectiveSelector> selectors) {
        return selectors.stream()
                .filter(EffectiveSelector::trusted)
                .map(EffectiveSelector::value)
                .toList();
    }

    private static void add(
            Map<String, EffectiveSelector> bySelector,
            List<String> selectors,
            String source,
            EffectiveSelector.Trust trust) {
        for (String s : selectors) {
            String value = Selectors.normalize(s);
            bySelector.putIfAbsent(value, new EffectiveSelector(value, source, trust));
        }
    }
}
