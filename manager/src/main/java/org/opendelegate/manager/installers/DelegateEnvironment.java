package org.opendelegate.manager.installers;

import java.util.LinkedHashMap;
import java.util.Map;

/** The delegate's settings every installer writes, in one order, from one place. */
final class DelegateEnvironment {
    static final int HEALTH_PORT = 8089;

    private DelegateEnvironment() {}

    /**
     * The environment of a delegate.
     *
     * @param token the token secret, or null when it is delivered another way
     */
    static Map<String, String> of(InstallerContext ctx, String groupName, String profile, String type, String token) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("MANAGER_URL", ctx.managerUrl());
        env.put("ACCOUNT_ID", ctx.accountId());
        if (token != null) {
            env.put("DELEGATE_TOKEN", token);
        }
        env.put("DELEGATE_GROUP_NAME", groupName);
        env.put("DELEGATE_PROFILE", profile);
        env.put("DELEGATE_TYPE", type);
        env.put("DELEGATE_HEALTH_PORT", String.valueOf(HEALTH_PORT));
        return env;
    }
}
