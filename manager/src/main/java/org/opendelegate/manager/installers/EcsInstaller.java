package org.opendelegate.manager.installers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.opendelegate.manager.delegates.DelegateTokens;
import org.opendelegate.manager.delegates.GroupTrust;
import org.opendelegate.manager.delegates.TrustedIdentities;
import org.opendelegate.manager.limits.Quota;
import org.opendelegate.manager.limits.Quotas;
import org.opendelegate.manager.security.Principal;
import org.opendelegate.manager.store.AuditDao;
import org.opendelegate.manager.store.DelegateGroup;
import org.opendelegate.manager.store.DelegateGroupDao;
import org.opendelegate.protocol.ProtocolJson;

/**
 * Download Delegate → ECS Task Spec: checks the request completely, then creates the group (if new) and
 * the download's token, and packs {@code opendelegate-ecs.tar.gz}. Nothing is written for a bad request.
 */
public final class EcsInstaller {
    static final String FOLDER = "opendelegate-ecs";

    private final DelegateGroupDao groups;
    private final InstallerTokens tokens;
    private final AuditDao audit;
    private final Clock clock;
    private final String managerUrl;
    private final String delegateImage;
    private final String managerVersion;
    private final GroupTrust groupTrust;
    private final String managerId;
    private final Supplier<Optional<X509Certificate>> servedCertificate;
    private final Quotas quotas;

    /**
     * @param groupTrust where an IAM download makes the group trust its task role
     * @param managerId this Manager deployment's id, written as {@code MANAGER_ID} for IAM registration
     * @param servedCertificate the certificate the Manager serves HTTPS with now; empty for plain HTTP
     */
    public EcsInstaller(
            DelegateGroupDao groups,
            DelegateTokens tokens,
            AuditDao audit,
            Clock clock,
            String managerUrl,
            String delegateImage,
            String managerVersion,
            GroupTrust groupTrust,
            String managerId,
            Supplier<Optional<X509Certificate>> servedCertificate,
            Quotas quotas) {
        this.servedCertificate = servedCertificate;
        this.quotas = quotas;
        this.groupTrust = groupTrust;
        this.managerId = managerId;
        this.groups = groups;
        this.tokens = new InstallerTokens(tokens, clock, quotas);
        this.audit = audit;
        this.clock = clock;
        this.managerUrl = managerUrl;
        this.delegateImage = delegateImage;
        this.managerVersion = managerVersion;
    }

    public Download download(Principal principal, EcsInstallerRequest request) {
        principal.requireAdmin();
        EcsSettings s = request.validate(delegateImage, managerUrl, servedCertificate.get());
        String accountId = principal.accountId();
        if (s.iam()) {
            return downloadForIam(principal, s);
        }
        Optional<DelegateGroup> existing = groups.findByName(accountId, s.groupName());
        // A group the download creates is locked, unless its delegates are to use an account-wide token.
        boolean lockIfNew = tokens.precheck(principal, existing, s.groupName(), s.tokenId(), s.tokenName());
        Instant now = clock.instant();
        DelegateGroup group = groups.getOrCreate(accountId, s.groupName(), lockIfNew, now);
        InstallerTokens.Issued token = tokens.issue(principal, group, s.tokenId(), s.tokenName(), "ecs");
        InstallerContext ctx = new InstallerContext(managerUrl, accountId, managerVersion, token.name());
        byte[] archive = archive(s, ctx, token.secret(), now);
        audit.record(
                accountId,
                now,
                principal.actor(),
                "installer.downloaded",
                "delegate-group",
                group.id(),
                "kind=ecs launchType=" + s.launchType() + " networkMode=" + s.networkMode() + " token=" + token.name());
        boolean tokenFile = s.tokenSecretArn() != null && token.secret() != null;
        return new Download(
                FOLDER + ".tar.gz",
                archive,
                token.id(),
                token.name(),
                token.secret() != null,
                EcsReadme.steps(s, tokenFile),
                EcsReadme.notices(s, ctx));
    }

    /**
     * An IAM download: no token is made and none is written; the group (created if new) trusts the task
     * role's sessions, and the task definition names this Manager's id for the delegates' identity proofs.
     */
    private Download downloadForIam(Principal principal, EcsSettings s) {
        String accountId = principal.accountId();
        Instant now = clock.instant();
        if (groups.findByName(accountId, s.groupName()).isEmpty()) {
            quotas.requireRoom(Quota.GROUPS, accountId, principal.actor(), s.groupName());
        }
        DelegateGroup group = groups.getOrCreate(accountId, s.groupName(), now);
        groupTrust.add(accountId, group, TrustedIdentities.forRole(s.taskRoleArn()), principal.actor());
        InstallerContext ctx = new InstallerContext(managerUrl, accountId, managerVersion, null, managerId);
        byte[] archive = archive(s, ctx, null, now);
        audit.record(
                accountId,
                now,
                principal.actor(),
                "installer.downloaded",
                "delegate-group",
                group.id(),
                "kind=ecs launchType=" + s.launchType() + " networkMode=" + s.networkMode()
                        + " authentication=IAM taskRole=" + s.taskRoleArn());
        return new Download(
                FOLDER + ".tar.gz", archive, null, null, false, EcsReadme.steps(s, false), EcsReadme.notices(s, ctx));
    }

    /**
     * Checks a request as {@link #download} does, without writing anything: throws the same 400 naming
     * every bad field. For forms that found a problem of their own and must report the rest with it.
     */
    public void check(EcsInstallerRequest request) {
        request.validate(delegateImage, managerUrl, servedCertificate.get());
    }

    /** Every Fargate CPU size (units) with the memory sizes (MiB) Fargate takes with it, smallest first. */
    public static Map<Integer, List<Integer>> fargateSizes() {
        return TaskSize.fargateSizes();
    }

    private static byte[] archive(EcsSettings s, InstallerContext ctx, String secret, Instant now) {
        // An IAM download has no token at all: nothing in it is secret.
        boolean plainToken = s.tokenSecretArn() == null && secret != null;
        boolean tokenFile = !plainToken && secret != null;
        // Files holding the token in plain text are readable by their owner only.
        int tokenMode = plainToken ? InstallerArchive.SECRET : InstallerArchive.FILE;
        InstallerArchive archive = new InstallerArchive(FOLDER, now)
                .text("README.txt", EcsReadme.build(s, ctx, tokenFile), InstallerArchive.FILE)
                .text("ecs-task-spec.json", pretty(EcsTaskSpec.build(s, ctx, secret)), tokenMode);
        if (s.awsVpc()) {
            archive.text("service-spec-for-awsvpc-mode.json", pretty(EcsServiceSpec.build(s)), InstallerArchive.FILE);
        }
        archive.text("cloudformation.yaml", CloudFormationTemplate.build(s, ctx, secret), tokenMode);
        if (tokenFile) {
            // No trailing newline: `file://` hands the file's bytes to AWS as they are.
            archive.text(EcsReadme.TOKEN_FILE, secret, InstallerArchive.SECRET);
        }
        return archive.toTarGz();
    }

    static String pretty(JsonNode tree) {
        try {
            return ProtocolJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(tree) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree is always serialisable", e);
        }
    }
}
