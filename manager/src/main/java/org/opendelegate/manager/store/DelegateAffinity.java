package org.opendelegate.manager.store;

import java.time.Instant;

/**
 * What one delegate did lately with one affinity key.
 *
 * @param lastSuccessAt when a task with the key last succeeded there
 * @param lastCapabilityFailureAt when a task with the key last failed there for a reason of the delegate's own
 * @param lastFailureMessage what that failure said
 */
public record DelegateAffinity(
        String delegateId, Instant lastSuccessAt, Instant lastCapabilityFailureAt, String lastFailureMessage) {}
