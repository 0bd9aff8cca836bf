package org.opendelegate.manager.store;

import java.time.Instant;

/** One value a secret had, by its number, who set it and when; the value itself stays sealed in the store. */
public record SecretVersion(int version, String createdBy, Instant createdAt) {}
