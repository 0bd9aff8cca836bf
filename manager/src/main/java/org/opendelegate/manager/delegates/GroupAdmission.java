package org.opendelegate.manager.delegates;

import java.time.Instant;
import java.util.Optional;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.problems.ProblemKind;
import org.opendelegate.manager.store.AuditDao;
import org.opendelegate.manager.store.DelegateGroup;
import org.opendelegate.manager.store.DelegateGroupDao;
import org.opendelegate.protocol.ProblemCodes;
import org.opendelegate.protocol.RegisterRequest;

/**
 * Whether a registration may join the group it names. An unlocked group (one a delegate's registration
 * created, or any group from before locking existed) takes every valid credential of the account; a
 * locked group takes only credentials bound to it, so an account-wide token cannot walk into a group an
 * admin trusts. A refusal is audited and happens before anything is written.
 *
 * <p>"Bound to the group" is {@link DelegateCredential#groupId()}: a delegate token bound to the group,
 * and equally any other credential that proved it belongs there (an IAM identity the group trusts
 * produces a credential with the group's id).
 */
final class GroupAdmission {
    private final DelegateGroupDao groups;
    private final AuditDao audit;

    GroupAdmission(DelegateGroupDao groups, AuditDao audit) {
        this.groups = groups;
        this.audit = audit;
    }

    /** Refuses with {@code GROUP_LOCKED} when the named group is locked and the credential is not bound to it. */
    void check(DelegateCredential credential, RegisterRequest request, Instant now) {
        Optional<DelegateGroup> group = groups.findByName(credential.accountId(), request.groupName());
        if (group.isEmpty() || !group.get().locked() || admits(group.get(), credential)) {
            return;
        }
        DelegateGroup locked = group.get();
        audit.record(
                credential.accountId(),
                now,
                "delegate-token:" + credential.tokenName(),
                "delegate.refused",
                "delegate-group",
                locked.id(),
                "code=" + ProblemCodes.GROUP_LOCKED + " name=" + request.name() + " group=" + locked.name() + " token="
                        + credential.tokenName() + " (not bound to the group)");
        throw new DomainProblem(
                ProblemKind.FORBIDDEN,
                "Group locked",
                ProblemCodes.GROUP_LOCKED,
                "Delegate group `" + locked.name() + "` is locked: only tokens bound to it may register delegates "
                        + "into it, and the token `" + credential.tokenName() + "` is not. Use a token of this group "
                        + "(an admin issues one with Lock and issue a bound token on Setup → Delegates), or set "
                        + "DELEGATE_GROUP_NAME to another group.");
    }

    /** True when the credential is bound to the group: a token of the group, or an identity it trusts. */
    static boolean admits(DelegateGroup group, DelegateCredential credential) {
        return group.id().equals(credential.groupId());
    }
}
