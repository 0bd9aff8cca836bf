package org.opendelegate.manager.delegates;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes a delegate's effective selectors: its group's selectors ∪ its profile's ∪ its own ∪ the
 * implicit ones (group name and delegate name), case-insensitive. A change to a group's selectors therefore shows on every
 * member at once: nothing is copied into the delegates.
 */
public final class EffectiveSelectors {
    private EffectiveSelectors() {}

    /** The effective selectors, sorted by value; explicit sources win over implicit ones. */
    public static List<EffectiveSelector> of(
            String groupName, List<String> groupSelectors, String delegateName, List<String> delegateSelectors) {
        return of(groupName, groupSelectors, delegateName, delegateSelectors, List.of());
    }

    /** The effective selectors with those the delegate's profile adds. */
    public static List<EffectiveSelector> of(
            String groupName,
            List<String> groupSelectors,
            String delegateName,
            List<String> delegateSelectors,
            List<String> profileSelectors) {
        Map<String, String> bySelector = new LinkedHashMap<>();
        for (String s : groupSelectors) {
            bySelector.putIfAbsent(Selectors.normalize(s), EffectiveSelector.GROUP);
        }
        for (String s : profileSelectors) {
            bySelector.putIfAbsent(Selectors.normalize(s), EffectiveSelector.PROFILE);
        }
        for (String s : delegateSelectors) {
            bySelector.putIfAbsent(Selectors.normalize(s), EffectiveSelector.DELEGATE);
        }
        bySelector.putIfAbsent(Selectors.normalize(groupName), EffectiveSelector.IMPLICIT);
        bySelector.putIfAbsent(Selectors.normalize(delegateName), EffectiveSelector.IMPLICIT);
        List<EffectiveSelector> result = new ArrayList<>();
        bySelector.forEach((value, source) -> result.add(new EffectiveSelector(value, source)));
        result.sort((a, b) -> a.value().compareTo(b.value()));
        return List.copyOf(result);
    }

    /** Just the values. */
    public static List<String> values(List<EffectiveSelector> selectors) {
        return selectors.stream().map(EffectiveSelector::value).toList();
    }
}
