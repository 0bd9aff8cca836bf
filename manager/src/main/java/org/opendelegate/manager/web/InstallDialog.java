package org.opendelegate.manager.web;

import java.util.List;
import java.util.Map;

/**
 * The Download Delegate dialog: the ECS and the shell form, and what they offer to pick from.
 *
 * @param groupNames the account's delegate groups, offered while typing a group name
 * @param tokens the account's active delegate tokens, for "use an existing token"
 * @param defaultImage the delegate image the Manager puts in task definitions unless told otherwise
 * @param fargateSizes every Fargate CPU size with the memory sizes it takes
 */
public record InstallDialog(
        String csrfToken,
        List<String> groupNames,
        List<TokenOption> tokens,
        String defaultImage,
        List<FargateCpu> fargateSizes,
        InstallForm ecs,
        InstallForm shell) {

    /** Fields under the ECS form's "Advanced" fold; it opens when one of them has a problem. */
    public static final List<String> ADVANCED =
            List.of("image", "family", "serviceName", "desiredCount", "assignPublicIp");

    /** What the ECS form starts with. */
    static final Map<String, String> ECS_DEFAULTS = Map.of(
            "profile",
            "Primary",
            "launchType",
            "FARGATE",
            "cpu",
            "256",
            "memory",
            "512",
            "tokenDelivery",
            "env",
            "tokenChoice",
            "new",
            "desiredCount",
            "1");

    /** What the shell form starts with. */
    static final Map<String, String> SHELL_DEFAULTS = Map.of("profile", "Primary");

    /** An active token to reuse. */
    public record TokenOption(String id, String label) {}

    /** A Fargate CPU size and the memory sizes that go with it. */
    public record FargateCpu(int cpu, List<Integer> memory) {
        public String label() {
            return vcpu(cpu) + " vCPU (" + cpu + ")";
        }

        /** "512 MiB (0.5 GB)". */
        public static String memoryLabel(int mib) {
            return mib % 1024 == 0 ? mib / 1024 + " GB (" + mib + " MiB)" : mib + " MiB (" + vcpu(mib) + " GB)";
        }

        private static String vcpu(int units) {
            return units % 1024 == 0
                    ? String.valueOf(units / 1024)
                    : java.math.BigDecimal.valueOf(units / 1024.0)
                            .stripTrailingZeros()
                            .toPlainString();
        }
    }

    InstallDialog withEcs(InstallForm form) {
        return new InstallDialog(csrfToken, groupNames, tokens, defaultImage, fargateSizes, form, shell);
    }

    InstallDialog withShell(InstallForm form) {
        return new InstallDialog(csrfToken, groupNames, tokens, defaultImage, fargateSizes, ecs, form);
    }

    /** True when the form was sent with this Fargate CPU (or, fresh, it is the default 256). */
    public boolean fargateCpu(int cpu) {
        return ecs.is("cpu", String.valueOf(cpu));
    }
}
