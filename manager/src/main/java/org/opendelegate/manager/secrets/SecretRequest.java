package org.opendelegate.manager.secrets;

/**
 * What a person sends to create or change a secret. On create, {@code name} and {@code value} are required; on
 * update the name is the one in the path, and either field may be left out to keep it.
 *
 * @param value the secret value: write-only, never in an answer
 */
public record SecretRequest(String name, String description, String value) {
    /** The value is left out of the text form, so that a log line or an exception message never carries it. */
    @Override
    public String toString() {
        return "SecretRequest[name=" + name + ", description=" + description + ", value=(hidden)]";
    }
}
