package org.opendelegate.manager.delegates;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.problems.ProblemKind;
import org.opendelegate.manager.store.AuditDao;
import org.opendelegate.manager.store.DelegateGroup;
import org.opendelegate.manager.store.DelegateGroupDao;
import org.opendelegate.manager.store.TrustedIdentityDao;
import org.opendelegate.protocol.ProblemCodes;
import org.opendelegate.protocol.RegisterRequest;

/**
 * Registration by AWS IAM identity: a delegate without a token proves who it is in AWS with a presigned
 * {@code sts:GetCallerIdentity} request ({@link StsVerifier}); the identity STS answers must be one the
 * delegate's group trusts. The group must exist already (IAM registration never creates one). The result is
 * a credential bound to that group with no token behind it. Every refusal is audited and changes nothing.
 */
public final class IamRegistration {
    private final DelegateGroupDao groups;
    private final TrustedIdentityDao trusted;
    private final StsVerifier verifier;
    private final AuditDao audit;
    private final Clock clock;

    public IamRegistration(
            DelegateGroupDao groups, TrustedIdentityDao trusted, StsVerifier verifier, AuditDao audit, Clock clock) {
        this.groups = groups;
        this.trusted = trusted;
        this.verifier = verifier;
        this.audit = audit;
        this.clock = clock;
    }

    /** The credential of a delegate that registers with an AWS identity proof instead of a token. */
    public DelegateCredential authenticate(String accountId, RegisterRequest request) {
        if (accountId == null || accountId.isBlank()) {
            throw DomainProblem.unauthorized(
                    "Send the account id in the X-OpenDelegate-Account header (ACCOUNT_ID on the delegate).");
        }
        String groupName = request.groupName();
        DelegateGroup group = (groupName == null
                ? null
                : groups.findByName(accountId, groupName).orElse(null));
        if (group == null) {
            throw refused(
                    accountId,
                    null,
                    "iam:unverified",
                    new DomainProblem(
                            ProblemKind.FORBIDDEN,
                            "AWS identity not trusted",
                            ProblemCodes.IAM_IDENTITY_NOT_TRUSTED,
                            "There is no delegate group `" + groupName + "` in account `" + accountId + "`; IAM "
                                    + "registration never creates groups. Create the group, set its trusted identities, "
                                    + "or fix DELEGATE_GROUP_NAME."));
        }
        StsVerifier.AwsCaller caller;
        try {
            caller = verifier.verify(request.awsIdentity());
        } catch (DomainProblem problem) {
            throw refused(accountId, group, "iam:unverified", problem);
        }
        List<String> patterns = trusted.find(accountId, group.id());
        if (!TrustedIdentities.trusts(patterns, caller.arn())) {
            throw refused(
                    accountId,
                    group,
                    "iam:" + caller.arn(),
                    new DomainProblem(
                                    ProblemKind.FORBIDDEN,
                                    "AWS identity not trusted",
                                    ProblemCodes.IAM_IDENTITY_NOT_TRUSTED,
                                    "STS says this delegate is `" + caller.arn() + "` (account " + caller.account()
                                            + "). Group `" + group.name() + "` trusts "
                                            + (patterns.isEmpty() ? "no AWS identity" : patterns.toString())
                                            + ". Add the delegate's task role to the group's trusted identities, "
                                            + "or run the delegate with a trusted role.")
                            .with(Map.of("identity", caller.arn(), "trustedIdentities", patterns)));
        }
        return new DelegateCredential(accountId, null, "iam:" + caller.arn(), group.id());
    }

    private DomainProblem refused(String accountId, DelegateGroup group, String actor, DomainProblem problem) {
        if (problem.kind() == ProblemKind.OUTSIDE_FAILED) {
            return problem; // STS did not answer: nothing was decided about this delegate.
        }
        audit.record(
                accountId,
                clock.instant(),
                actor.length() <= 200 ? actor : actor.substring(0, 200),
                "delegate.refused",
                "delegate-group",
                group == null ? null : group.id(),
                "code=" + problem.code() + " " + problem.getMessage());
        return problem;
    }
}
