package org.opendelegate.manager.installers;

import java.security.cert.X509Certificate;
import java.util.Optional;
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
 * @param managerCaCert PEM of the CA the delegate trusts the Manager's certificate by
 * @param managerCertSha256 the SHA-256 pin of the Manager's certificate; with neither, see {@link ManagerTrust}
 */
public record ShellInstallerRequest(
        String delegateGroupName,
        String profile,
        String delegateName,
        String tokenName,
        String managerCaCert,
        String managerCertSha256) {
    static final Pattern DELEGATE_NAME = RegistrationRules.GROUP_NAME;

    /** Checks every field and applies the defaults, or throws a 400 naming every bad field. */
    ShellSettings validate(String managerUrl, Optional<X509Certificate> served) {
        FieldChecks c = new FieldChecks();
        String group = c.groupName(delegateGroupName);
        String profileName = c.profile(profile);
        String name = c.shape("delegateName", delegateName, DELEGATE_NAME, RegistrationRules.GROUP_NAME_RULE);
        String token = InstallerTokens.checkName(c, tokenName);
        ManagerTrust trust = ManagerTrust.check(c, managerCaCert, managerCertSha256, managerUrl, served);
        c.throwIfAny();
        return new ShellSettings(group, profileName, name, token, trust);
    }

    /** A validated shell installer request. */
    record ShellSettings(String groupName, String profile, String delegateName, String tokenName, ManagerTrust trust) {}
}
