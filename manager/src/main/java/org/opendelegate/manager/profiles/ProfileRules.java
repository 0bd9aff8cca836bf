package org.opendelegate.manager.profiles;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.opendelegate.manager.delegates.Selectors;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.protocol.Problem;

/**
 * The rules for a delegate profile, in one place for the API, the console and the documentation. Pure.
 */
public final class ProfileRules {
    /** The largest script, in bytes of UTF-8: 64 KiB. */
    public static final int MAX_SCRIPT_BYTES = 64 * 1024;

    public static final int MAX_NAME = 100;
    public static final int MAX_DESCRIPTION = 1000;
    public static final int DEFAULT_TIMEOUT_SECONDS = 600;
    public static final int MAX_TIMEOUT_SECONDS = 86_400;

    /** A profile's settings after validation: trimmed, normalised, defaults applied. */
    public record Valid(
            String name,
            String description,
            String script,
            List<String> selectors,
            boolean required,
            int timeoutSeconds) {}

    private ProfileRules() {}

    /**
     * Validates a profile. Defaults: no description, an empty script, no selectors, required, 600 s.
     * Windows line ends in the script become Unix ones (bash would choke on the carriage returns).
     *
     * @throws DomainProblem naming every bad field and what would be right
     */
    public static Valid validate(ProfileInput in) {
        List<Problem.FieldError> errors = new ArrayList<>();
        String name = in.name() == null ? "" : in.name().strip();
        if (name.isEmpty()) {
            errors.add(new Problem.FieldError("name", "is required: 1 to " + MAX_NAME + " printable characters."));
        } else if (name.length() > MAX_NAME) {
            errors.add(new Problem.FieldError(
                    "name",
                    "is " + name.length() + " characters long; a profile name has at " + "most " + MAX_NAME + "."));
        } else if (name.chars().anyMatch(Character::isISOControl)) {
            errors.add(new Problem.FieldError("name", "contains control characters; use printable characters only."));
        }
        String description = in.description() == null ? "" : in.description().strip();
        if (description.length() > MAX_DESCRIPTION) {
            errors.add(new Problem.FieldError(
                    "description",
                    "is " + description.length() + " characters long; at most " + MAX_DESCRIPTION + " are allowed."));
        }
        String script = in.script() == null ? "" : in.script().replace("\r\n", "\n");
        int bytes = script.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_SCRIPT_BYTES) {
            errors.add(new Problem.FieldError(
                    "script",
                    "is " + bytes + " bytes; a profile script has at most "
                            + MAX_SCRIPT_BYTES + " bytes (64 KiB). Download large tools from the script instead of "
                            + "embedding them."));
        } else if (script.indexOf('\0') >= 0) {
            errors.add(new Problem.FieldError("script", "contains a NUL character; a script is text."));
        }
        int timeout = in.timeoutSeconds() == null ? DEFAULT_TIMEOUT_SECONDS : in.timeoutSeconds();
        if (timeout < 1 || timeout > MAX_TIMEOUT_SECONDS) {
            errors.add(new Problem.FieldError(
                    "timeoutSeconds",
                    "is " + timeout + "; it must be from 1 to " + MAX_TIMEOUT_SECONDS + " (a day); the default is "
                            + DEFAULT_TIMEOUT_SECONDS + " (10 min)."));
        }
        List<String> selectors = List.of();
        try {
            selectors = Selectors.validate("selectors", in.selectors());
        } catch (DomainProblem e) {
            errors.addAll(e.errors());
        }
        if (!errors.isEmpty()) {
            throw DomainProblem.invalid(errors);
        }
        return new Valid(name, description, script, selectors, in.required() == null || in.required(), timeout);
    }
}
