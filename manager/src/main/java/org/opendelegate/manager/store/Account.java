package org.opendelegate.manager.store;

import java.time.Instant;

/** A tenant. Everything else belongs to exactly one account. */
public record Account(String id, String name, Instant createdAt) {}
