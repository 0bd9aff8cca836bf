package org.opendelegate.manager.installers;

import java.util.regex.Pattern;
import org.opendelegate.manager.delegates.RegistrationRules;

/**
 * The body of {@code POST /api/v1/installers/shell}: a delegate as a plain process on an EC2 instance or
 * any Linux host.
 *
 * @param delegateGroupName the group the delegate joins (created if new)
 * @param profile the delegate profile, default {@code Primary}
 * @param delegateName the delegate's name; default the host name
 * @param tokenName the name of the new token; default derived from the group and the time
 */
public record ShellInstallerRequest(String delegateGroupName, String profile, String delegateName, String tokenName) {
    static final Pattern DELEGATE_NAME = RegistrationRules.GROUP_NAME;

    /** Checks every field and applies the defaults, or throws a 400 naming every bad field. */
    ShellSettings validate() {
        FieldChecks c = new FieldChecks();
        String group = c.groupName(delegateGroupName);
        String profileName = c.profile(profile);
        String name = c.shape("delegateName", delegateName, DELEGATE_NAME, RegistrationRules.GROUP_NAME_RULE);
        String token = InstallerTokens.checkName(c, tokenName);
        c.throwIfAny();
        return new ShellSettings(group, profileName, name, token);
    }

    /** A validated shell installer request. */
    record ShellSettings(String groupName, String profile, String delegateName, String tokenName) {}
}
