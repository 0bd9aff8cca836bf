package org.opendelegate.manager.delegates;

/**
 * One selector a delegate answers to, where it comes from, and whether an admin granted it.
 *
 * @param value the selector, lower case
 * @param source {@code GROUP} (set on its group), {@code PROFILE} (added by its delegate profile),
 *     {@code DELEGATE} (from {@code DELEGATE_SELECTORS}) or {@code IMPLICIT} (the group name and the
 *     delegate name)
 * @param trust {@link Trust#TRUSTED} when an admin granted it (the group's selectors, the group name, a
 *     profile the group assigns), {@link Trust#SELF_DECLARED} when the delegate claims it about itself
 *     ({@code DELEGATE_SELECTORS}, its own name, a profile it picked with {@code DELEGATE_PROFILE})
 */
public record EffectiveSelector(String value, String source, Trust trust) {
    public static final String GROUP = "GROUP";
    public static final String PROFILE = "PROFILE";
    public static final String DELEGATE = "DELEGATE";
    public static final String IMPLICIT = "IMPLICIT";

    /**
     * Whether an admin granted a selector. Tasks that carry secrets are routed only by trusted selectors:
     * anyone holding a delegate token can declare any selector about itself.
     */
    public enum Trust {
        TRUSTED,
        SELF_DECLARED
    }

    /** True for selectors nobody set explicitly. */
    public boolean implicit() {
        return IMPLICIT.equals(source);
    }

    /** True when an admin granted this selector. */
    public boolean trusted() {
        return trust == Trust.TRUSTED;
    }
}
