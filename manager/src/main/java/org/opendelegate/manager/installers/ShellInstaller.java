package org.opendelegate.manager.installers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.opendelegate.manager.delegates.DelegateTokens;
import org.opendelegate.manager.limits.Quotas;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.problems.ProblemKind;
import org.opendelegate.manager.security.Principal;
import org.opendelegate.manager.store.AuditDao;
import org.opendelegate.manager.store.DelegateGroup;
import org.opendelegate.manager.store.DelegateGroupDao;

/**
 * The shell-script delegate: {@code opendelegate-shell.tar.gz} with the delegate jar of the Manager's own
 * version, {@code start.sh}, {@code stop.sh}, the settings in {@code delegate.env}, a systemd unit and a
 * README. The scripts are fixed files; only {@code delegate.env} carries values, and the scripts read it
 * as data, so no value can become shell code.
 */
public final class ShellInstaller {
    static final String FOLDER = "opendelegate-shell";
    static final String JAR_RESOURCE = "delegate/opendelegate-delegate.jar";

    private final DelegateGroupDao groups;
    private final InstallerTokens tokens;
    private final AuditDao audit;
    private final Clock clock;
    private final String managerUrl;
    private final String managerVersion;
    private final Supplier<Optional<X509Certificate>> servedCertificate;

    /** @param servedCertificate the certificate the Manager serves HTTPS with now; empty for plain HTTP */
    public ShellInstaller(
            DelegateGroupDao groups,
            DelegateTokens tokens,
            AuditDao audit,
            Clock clock,
            String managerUrl,
            String managerVersion,
            Supplier<Optional<X509Certificate>> servedCertificate,
            Quotas quotas) {
        this.servedCertificate = servedCertificate;
        this.groups = groups;
        this.tokens = new InstallerTokens(tokens, clock, quotas);
        this.audit = audit;
        this.clock = clock;
        this.managerUrl = managerUrl;
        this.managerVersion = managerVersion;
    }

    public Download download(Principal principal, ShellInstallerRequest request) {
        principal.requireAdmin();
        ShellInstallerRequest.ShellSettings s = request.validate(managerUrl, servedCertificate.get());
        byte[] jar = delegateJar();
        String accountId = principal.accountId();
        Optional<DelegateGroup> existing = groups.findByName(accountId, s.groupName());
        // A group the download creates is locked, unless its delegates are to use an account-wide token.
        boolean lockIfNew = tokens.precheck(principal, existing, s.groupName(), null, s.tokenName());
        Instant now = clock.instant();
        DelegateGroup group = groups.getOrCreate(accountId, s.groupName(), lockIfNew, now);
        InstallerTokens.Issued token = tokens.issue(principal, group, null, s.tokenName(), "shell");
        InstallerContext ctx = new InstallerContext(managerUrl, accountId, managerVersion, token.name());
        InstallerArchive files = new InstallerArchive(FOLDER, now)
                .text("README.txt", ShellReadme.build(s, ctx), InstallerArchive.FILE)
                .text("start.sh", script("start.sh"), InstallerArchive.SCRIPT)
                .text("stop.sh", script("stop.sh"), InstallerArchive.SCRIPT)
                .text("delegate.env", config(s, ctx, token.secret()), InstallerArchive.SECRET)
                .text("opendelegate-delegate.service", ShellReadme.systemdUnit(s), InstallerArchive.FILE)
                .bytes("opendelegate-delegate.jar", jar, InstallerArchive.FILE);
        if (s.trust().caCertificate() != null) {
            files.text(ManagerTrust.CA_FILE, s.trust().caCertificate(), InstallerArchive.FILE);
        }
        byte[] archive = files.toTarGz();
        audit.record(
                accountId,
                now,
                principal.actor(),
                "installer.downloaded",
                "delegate-group",
                group.id(),
                "kind=shell token=" + token.name());
        return new Download(
                FOLDER + ".tar.gz",
                archive,
                token.id(),
                token.name(),
                true,
                ShellReadme.steps(),
                ShellReadme.notices(ctx));
    }

    static String config(ShellInstallerRequest.ShellSettings s, InstallerContext ctx, String token) {
        StringBuilder out = new StringBuilder("# OpenDelegate delegate settings, read by start.sh as data (KEY=value, "
                + "no quotes, no expansion).\n# It holds the delegate token: keep it readable by the delegate's "
                + "user only.\n");
        Map<String, String> env = DelegateEnvironment.of(ctx, s.groupName(), s.profile(), "SHELL", token);
        if (s.delegateName() != null) {
            env.put("DELEGATE_NAME", s.delegateName());
        }
        // A host runs other software: the health endpoint is off unless a port is chosen for monitoring.
        env.put("DELEGATE_HEALTH_PORT", "0");
        // delegate.env holds one line per setting, so the CA is a file next to start.sh, which resolves the path.
        s.trust().addTo(env, ManagerTrust.CA_FILE);
        env.put("JAVA_OPTS", DelegateJvmOptions.SHELL);
        // start.sh exports every line, so the C library of the delegate's JVM reads it.
        env.put("MALLOC_ARENA_MAX", DelegateJvmOptions.MALLOC_ARENA_MAX);
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (e.getValue().chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
                throw new IllegalStateException(e.getKey() + " holds a control character; it was not validated");
            }
            out.append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
        return out.toString();
    }

    private static byte[] delegateJar() {
        try (InputStream in = ShellInstaller.class.getResourceAsStream(JAR_RESOURCE)) {
            if (in == null) {
                throw new DomainProblem(
                        ProblemKind.UNAVAILABLE,
                        "Delegate jar missing",
                        "DELEGATE_JAR_MISSING",
                        "This Manager was "
                                + "built without the delegate jar, so it cannot make a shell installer. Build both with "
                                + "`mvn -B -DskipTests package` from the project root.");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String script(String name) {
        try (InputStream in = ShellInstaller.class.getResourceAsStream("shell/" + name)) {
            if (in == null) {
                throw new IllegalStateException("shell/" + name + " is part of the Manager jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
