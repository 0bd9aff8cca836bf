package org.opendelegate.manager.delegates;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.opendelegate.manager.store.Delegate;
import org.opendelegate.manager.store.DelegateGroup;

/**
 * A delegate resolved with its group, its effective selectors and its profile state: what session checks,
 * the dispatcher and the views work with. The stored row alone is {@link Delegate}; what the API shows is
 * {@link DelegateView}.
 */
public record ResolvedDelegate(
        Delegate delegate, DelegateGroup group, List<EffectiveSelector> selectors, ProfileState profile) {

    /** An entry without profile information. */
    public ResolvedDelegate(Delegate delegate, DelegateGroup group, List<EffectiveSelector> selectors) {
        this(delegate, group, selectors, ProfileState.none(delegate.profileName()));
    }

    static ResolvedDelegate of(Delegate delegate, DelegateGroup group, ProfileState profile) {
        return new ResolvedDelegate(
                delegate,
                group,
                EffectiveSelectors.of(
                        group.name(),
                        group.selectors(),
                        delegate.name(),
                        delegate.selectors(),
                        profile.selectors(),
                        profile.viaGroup()),
                profile);
    }

    /**
     * The same entry with the delegate's liveness or session changed: what its selectors are made of (group,
     * name, declared selectors, profile) is the same, so they are kept rather than worked out again at every
     * heartbeat.
     */
    ResolvedDelegate withDelegate(Delegate changed) {
        return new ResolvedDelegate(changed, group, selectors, profile);
    }

    public String id() {
        return delegate.id();
    }

    public String accountId() {
        return delegate.accountId();
    }

    public String name() {
        return delegate.name();
    }

    /** The effective selector values, lower case. */
    public List<String> selectorValues() {
        return EffectiveSelectors.values(selectors);
    }

    /** The effective selector values an admin granted (group, group name, group-assigned profile). */
    public List<String> trustedSelectorValues() {
        return EffectiveSelectors.trustedValues(selectors);
    }

    public boolean isConnected(Instant now, Duration disconnectAfter) {
        return delegate.isConnected(now, disconnectAfter);
    }
}
