package org.opendelegate.protocol;

/**
 * The delegate profile a delegate must apply: a bash script it runs once at start, before it takes
 * work, and again whenever the Manager assigns another version.
 *
 * <p>A heartbeat answer carries the assignment every time, so a change is noticed within one heartbeat
 * interval; it carries the script only until the delegate reported a run of that version (the script
 * can be 64 KiB, and most heartbeats change nothing). A delegate that sees a new version without a
 * script waits for the next answer, which brings it.
 *
 * @param profileId the profile's id
 * @param name the profile's name, for logs
 * @param version the version to apply; grows with every edit of the profile
 * @param script the bash script of that version (may be empty), or null when the delegate already has it
 * @param timeoutMillis how long a run may take before it is killed
 * @param required true when a failed run makes the delegate ineligible for tasks until a run succeeds
 */
public record ProfileAssignment(
        String profileId, String name, int version, String script, long timeoutMillis, boolean required) {

    /** True when this assignment names the same profile version as {@code other}. */
    public boolean sameVersionAs(ProfileAssignment other) {
        return other != null && java.util.Objects.equals(profileId, other.profileId) && version == other.version;
    }

    /** The same assignment without its script. */
    public ProfileAssignment withoutScript() {
        return new ProfileAssignment(profileId, name, version, null, timeoutMillis, required);
    }
}
