package org.opendelegate.manager.secrets;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.opendelegate.manager.limits.Quota;
import org.opendelegate.manager.limits.Quotas;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.problems.ProblemKind;
import org.opendelegate.manager.security.Principal;
import org.opendelegate.manager.security.SecretBox;
import org.opendelegate.manager.security.Secrets;
import org.opendelegate.manager.store.AccountSecret;
import org.opendelegate.manager.store.AuditDao;
import org.opendelegate.manager.store.SecretDao;
import org.opendelegate.manager.store.SecretUsage;
import org.opendelegate.protocol.Problem;

/**
 * The Manager's secret store, for people (the API and the console both come here). A value is sealed with
 * the master key the moment it arrives and opened only into a task's sealed secrets ({@link SecretReferences});
 * no view, answer, audit line or log carries it. Anyone in the account may read the metadata (operators pick
 * secrets by name when they run scripts); only admins create, change and delete.
 */
public final class AccountSecrets {
    /** How many of the newest tasks that used a secret its detail lists. */
    static final int USES_SHOWN = 50;

    private final SecretDao dao;
    private final AuditDao audit;
    private final SecretBox box;
    private final Quotas quotas;
    private final Clock clock;

    public AccountSecrets(SecretDao dao, AuditDao audit, SecretBox box, Quotas quotas, Clock clock) {
        this.dao = dao;
        this.audit = audit;
        this.box = box;
        this.quotas = quotas;
        this.clock = clock;
    }

    /** The additional data a version's value is sealed with: it opens only as that version of that secret. */
    static String context(String accountId, String name, int version) {
        return "account-secret:" + accountId + ":" + name + ":" + version;
    }

    public List<SecretView> list(String accountId) {
        Map<String, SecretUsage> usage = dao.usage(accountId);
        return dao.list(accountId).stream()
                .map(s -> SecretView.of(s, usage.getOrDefault(s.name(), SecretUsage.NONE)))
                .toList();
    }

    /** The names of the account's secrets, for pickers (the Run Script form). */
    public List<String> names(String accountId) {
        return dao.list(accountId).stream().map(AccountSecret::name).toList();
    }

    public SecretDetail get(String accountId, String name) {
        AccountSecret s = find(accountId, name);
        return new SecretDetail(
                SecretView.of(s, dao.usage(accountId).getOrDefault(name, SecretUsage.NONE)),
                dao.versions(s.id()),
                dao.uses(accountId, name, USES_SHOWN));
    }

    public SecretView create(Principal principal, SecretRequest request) {
        principal.requireAdmin();
        List<Problem.FieldError> errors = new ArrayList<>();
        SecretRules.checkName(errors, "name", request.name());
        SecretRules.checkDescription(errors, request.description());
        SecretRules.checkValue(errors, request.value(), true);
        SecretRules.throwIfAny(errors);
        quotas.requireRoom(Quota.SECRETS, principal.accountId(), principal.actor(), request.name());
        Instant now = clock.instant();
        AccountSecret s = new AccountSecret(
                Secrets.newId(),
                principal.accountId(),
                request.name(),
                request.description() == null ? "" : request.description(),
                1,
                principal.actor(),
                now,
                principal.actor(),
                now);
        try {
            dao.insert(s, box.seal(request.value(), context(s.accountId(), s.name(), 1)));
        } catch (UnableToExecuteStatementException e) {
            if (SecretDao.isDuplicateName(e)) {
                throw DomainProblem.conflict(
                        "SECRET_NAME_TAKEN",
                        "A secret named `" + s.name() + "` already exists in this account; change its value with "
                                + "PUT /api/v1/secrets/" + s.name() + ", or choose another name.");
            }
            throw e;
        }
        audit(principal, now, "created", s, "version=1");
        return SecretView.of(s, SecretUsage.NONE);
    }

    /** A new value adds a version (tasks submitted from now on get it); a new description changes only that. */
    public SecretView update(Principal principal, String name, SecretRequest request) {
        principal.requireAdmin();
        AccountSecret before = find(principal.accountId(), name);
        List<Problem.FieldError> errors = new ArrayList<>();
        if (request.name() != null && !request.name().equals(name)) {
            errors.add(new Problem.FieldError(
                    "name", "cannot change (tasks reference a secret by its name); create a new secret instead."));
        }
        SecretRules.checkDescription(errors, request.description());
        SecretRules.checkValue(errors, request.value(), false);
        if (request.value() == null && request.description() == null) {
            errors.add(new Problem.FieldError(
                    "value", "or `description` is required: send a new value, a new description, or both."));
        }
        SecretRules.throwIfAny(errors);
        Instant now = clock.instant();
        String description = request.description() == null ? before.description() : request.description();
        AccountSecret after = new AccountSecret(
                before.id(),
                before.accountId(),
                before.name(),
                description,
                request.value() == null ? before.currentVersion() : before.currentVersion() + 1,
                before.createdBy(),
                before.createdAt(),
                principal.actor(),
                now);
        boolean changed = request.value() == null
                ? dao.describe(before.accountId(), before.id(), description, principal.actor(), now)
                : dao.addVersion(
                        after, box.seal(request.value(), context(after.accountId(), name, after.currentVersion())));
        if (!changed) {
            throw DomainProblem.conflict(
                    "SECRET_CHANGED",
                    "Secret `" + name + "` was changed or deleted by someone else at the same time; "
                            + "look at it again and repeat your change.");
        }
        audit(
                principal,
                now,
                "updated",
                after,
                request.value() == null
                        ? "description changed"
                        : "version=" + after.currentVersion()
                                + (request.description() == null ? "" : " description changed"));
        return SecretView.of(after, dao.usage(after.accountId()).getOrDefault(name, SecretUsage.NONE));
    }

    /**
     * Deletes a secret with its versions. Tasks already submitted keep the value sealed into them at submission,
     * so a delete never breaks work in flight; tasks submitted afterwards that reference it are refused.
     */
    public void delete(Principal principal, String name) {
        principal.requireAdmin();
        AccountSecret s = find(principal.accountId(), name);
        if (dao.delete(principal.accountId(), s)) {
            audit(principal, clock.instant(), "deleted", s, "versions=" + s.currentVersion());
        }
    }

    AccountSecret find(String accountId, String name) {
        return dao.find(accountId, name)
                .orElseThrow(() -> new DomainProblem(
                        ProblemKind.NOT_FOUND,
                        "Not found",
                        "NOT_FOUND",
                        "There is no secret named `" + (name == null ? "" : SecretRules.shorten(name))
                                + "` in this account; GET /api/v1/secrets lists the secrets there are."));
    }

    /** Opens the current value of a secret: only for sealing it into a task. */
    String openCurrent(AccountSecret s) {
        String sealed = dao.sealedValue(s.id(), s.currentVersion())
                .orElseThrow(
                        () -> new IllegalStateException("secret " + s.id() + " has no version " + s.currentVersion()));
        return box.open(sealed, context(s.accountId(), s.name(), s.currentVersion()));
    }

    SecretDao dao() {
        return dao;
    }

    private void audit(Principal principal, Instant at, String action, AccountSecret s, String detail) {
        audit.record(
                principal.accountId(),
                at,
                principal.actor(),
                "secret." + action,
                "secret",
                s.name(),
                "name=" + s.name() + " " + detail);
    }
}
