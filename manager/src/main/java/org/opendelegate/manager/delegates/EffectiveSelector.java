package org.opendelegate.manager.delegates;

/**
 * One selector a delegate answers to, and where it comes from.
 *
 * @param value the selector, lower case
 * @param source {@code GROUP} (set on its group), {@code PROFILE} (added by its delegate profile),
 *     {@code DELEGATE} (from {@code DELEGATE_SELECTORS}) or {@code IMPLICIT} (the group name and the
 *     delegate name)
 */
public record EffectiveSelector(String value, String source) {
    public static final String GROUP = "GROUP";
    public static final String PROFILE = "PROFILE";
    public static final String DELEGATE = "DELEGATE";
    public static final String IMPLICIT = "IMPLICIT";

    /** True for selectors nobody set explicitly. */
    public boolean implicit() {
        return IMPLICIT.equals(source);
    }
}
