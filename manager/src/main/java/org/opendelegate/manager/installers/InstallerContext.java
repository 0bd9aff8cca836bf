package org.opendelegate.manager.installers;

/**
 * What every installer of a download shares that the user does not choose.
 *
 * @param managerUrl the Manager's external URL, for {@code MANAGER_URL}
 * @param accountId the caller's account, for {@code ACCOUNT_ID}
 * @param managerVersion the Manager's version (the delegate jar and the default image are of this version)
 * @param tokenName the name of the download's token, for the README; null for IAM authentication
 * @param managerId this Manager deployment's id, for {@code MANAGER_ID} (IAM registration proofs name it)
 */
record InstallerContext(
        String managerUrl, String accountId, String managerVersion, String tokenName, String managerId) {

    InstallerContext(String managerUrl, String accountId, String managerVersion, String tokenName) {
        this(managerUrl, accountId, managerVersion, tokenName, null);
    }

    /** True when delegates elsewhere could not reach the configured URL (it names this machine). */
    boolean managerUrlIsLocal() {
        String host = java.net.URI.create(managerUrl).getHost();
        return host == null
                || host.equals("localhost")
                || host.startsWith("127.")
                || host.equals("[::1]")
                || host.equals("0.0.0.0");
    }
}
