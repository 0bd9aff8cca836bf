package org.opendelegate.manager.installers;

import java.util.List;

/** The README and the systemd unit of the shell-script delegate. */
final class ShellReadme {
    static final String INSTALL_DIR = "/opt/opendelegate-shell";
    static final String SERVICE_USER = "opendelegate";
    static final String START_COMMAND = "tar -xzf opendelegate-shell.tar.gz && cd opendelegate-shell && ./start.sh";
    static final String FOLLOW_COMMAND = "tail -f delegate.log";

    private ShellReadme() {}

    static String build(ShellInstallerRequest.ShellSettings s, InstallerContext ctx) {
        StringBuilder r = new StringBuilder();
        r.append("OpenDelegate shell delegate, group ")
                .append(s.groupName())
                .append('\n')
                .append("=".repeat(60))
                .append("\n\n")
                .append("Made by the OpenDelegate Manager ")
                .append(ctx.managerVersion())
                .append(" for account ")
                .append(ctx.accountId())
                .append(". The delegate connects outbound (HTTPS) to\n")
                .append(ctx.managerUrl())
                .append(" and joins group ")
                .append(s.groupName())
                .append(" with profile ")
                .append(s.profile())
                .append(" as ")
                .append(s.delegateName() == null ? "this host's name" : s.delegateName())
                .append(".\n")
                .append("Delegate token: \"")
                .append(ctx.tokenName())
                .append("\" (in delegate.env). Revoking it "
                        + "(Setup → Delegate Tokens)\nlocks this delegate out.\n\n");
        if (ctx.managerUrlIsLocal()) {
            r.append("WARNING: the Manager's external URL, ")
                    .append(ctx.managerUrl())
                    .append(", names the Manager's "
                            + "own machine;\na delegate on another host cannot reach it. Set OPENDELEGATE_EXTERNAL_URL on "
                            + "the Manager and download again.\n\n");
        }
        r.append("Needs: Linux (or any Unix with /bin/sh) and Java 17 or newer; start.sh checks and says how to "
                        + "get it.\n\n"
                        + "Files\n-----\n"
                        + "  start.sh                         starts the delegate (--foreground: for systemd)\n"
                        + "  stop.sh                          stops it gracefully\n"
                        + "  delegate.env                     its settings (KEY=value); holds the token, mode 0600\n"
                        + "  opendelegate-delegate.service    a systemd unit\n"
                        + "  opendelegate-delegate.jar        the delegate, version ")
                .append(ctx.managerVersion())
                .append("\n\nTry it\n------\n" + "  ")
                .append(START_COMMAND)
                .append("\n" + "  ")
                .append(FOLLOW_COMMAND)
                .append("        # \"Connected to ...\" within seconds\n"
                        + "  ./stop.sh\n\n"
                        + "Run it as a service (systemd)\n-----------------------------\n"
                        + "  sudo useradd --system --home-dir ")
                .append(INSTALL_DIR)
                .append(" --shell /usr/sbin/nologin ")
                .append(SERVICE_USER)
                .append("\n" + "  sudo tar -xzf opendelegate-shell.tar.gz -C /opt\n" + "  sudo chown -R ")
                .append(SERVICE_USER)
                .append(' ')
                .append(INSTALL_DIR)
                .append("\n" + "  sudo cp ")
                .append(INSTALL_DIR)
                .append(
                        "/opendelegate-delegate.service /etc/systemd/system/\n"
                                + "  sudo systemctl daemon-reload && sudo systemctl enable --now opendelegate-delegate\n"
                                + "  journalctl -u opendelegate-delegate -f\n\n"
                                + "AWS credentials\n---------------\n"
                                + "  On EC2 the delegate's AWS tasks use the instance profile role (the AWS SDK's default "
                                + "chain);\n  nothing to configure. Elsewhere, the usual AWS_* variables or ~/.aws of the "
                                + "delegate's user apply.\n  The role needs what the ECS README lists under IAM for the "
                                + "task role.\n\n"
                                + "Settings\n--------\n"
                                + "  Edit delegate.env and restart. DELEGATE_NAME sets the name; DELEGATE_SELECTORS adds "
                                + "selectors\n  (comma-separated); DELEGATE_HEALTH_PORT=8089 serves GET /healthz for your "
                                + "monitoring (0, the default\n  here, turns it off); HTTPS_PROXY is honoured. JAVA_OPTS keeps the JVM small.\n");
        return r.toString();
    }

    /** The README's first commands, for the console to show after a download. */
    static List<Download.Step> steps() {
        return List.of(
                new Download.Step(
                        "Copy the archive to the host, unpack it and start the delegate (it needs "
                                + "Java 17 or newer).",
                        START_COMMAND),
                new Download.Step(
                        "Watch it connect; README.txt shows how to run it as a systemd service.", FOLLOW_COMMAND));
    }

    /** The README's warnings, one sentence each. */
    static List<String> notices(InstallerContext ctx) {
        return ctx.managerUrlIsLocal()
                ? List.of("The Manager's external URL, " + ctx.managerUrl() + ", names the "
                        + "Manager's own machine; a delegate on another host cannot reach it. Set OPENDELEGATE_EXTERNAL_URL on "
                        + "the Manager and download again.")
                : List.of();
    }

    static String systemdUnit(ShellInstallerRequest.ShellSettings s) {
        return "[Unit]\n"
                + "Description=OpenDelegate delegate (group " + s.groupName() + ")\n"
                + "Wants=network-online.target\n"
                + "After=network-online.target\n\n"
                + "[Service]\n"
                + "Type=simple\n"
                + "User=" + SERVICE_USER + "\n"
                + "WorkingDirectory=" + INSTALL_DIR + "\n"
                + "ExecStart=" + INSTALL_DIR + "/start.sh --foreground\n"
                + "Restart=on-failure\n"
                + "RestartSec=5\n"
                + "# 2: invalid configuration, 3: token refused or revoked. A restart cannot fix either.\n"
                + "RestartPreventExitStatus=2 3\n"
                + "# The delegate drains running tasks for up to 25 s after SIGTERM.\n"
                + "TimeoutStopSec=40\n"
                + "NoNewPrivileges=true\n"
                + "PrivateTmp=true\n"
                + "ProtectSystem=full\n\n"
                + "[Install]\n"
                + "WantedBy=multi-user.target\n";
    }
}
