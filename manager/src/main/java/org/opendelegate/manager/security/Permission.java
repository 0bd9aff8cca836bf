package org.opendelegate.manager.security;

/**
 * What a role may do, one permission per kind of action. Services ask for a permission, never for a role, so a
 * new role is one line in {@link Role} and not a hunt through every check.
 */
public enum Permission {
    /** Manage the account: users, API keys of others, delegate tokens, groups, profiles, trusted identities, providers. */
    ADMINISTER("administer the account"),
    /** Submit and cancel tasks of every type, shell scripts included. */
    RUN_TASKS("run and cancel tasks"),
    /** Submit, roll back and cancel ECS deployments. */
    DEPLOY("deploy, roll back and cancel deployments"),
    /** Read the audit trail. */
    READ_AUDIT("read the audit trail");

    private final String description;

    Permission(String description) {
        this.description = description;
    }

    /** What the permission allows, as a sentence fragment: "run and cancel tasks". */
    public String description() {
        return description;
    }
}
