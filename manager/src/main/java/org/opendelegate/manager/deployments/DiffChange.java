package org.opendelegate.manager.deployments;

/**
 * One change a deployment makes (or a dry run would make), secret values masked as {@code ****}.
 *
 * @param section {@code taskDefinition} or {@code service}
 * @param path what changes, e.g. {@code containerDefinitions[web].image}
 * @param before the value now, or null when it is added
 * @param after the value after, or null when it is removed
 */
public record DiffChange(String section, String path, String before, String after) {}
