package org.opendelegate.manager.store;

/** A task's reference to a store secret: the environment variable that gets it, and the version sealed in. */
public record SecretRef(String envName, String secretName, int secretVersion) {}
