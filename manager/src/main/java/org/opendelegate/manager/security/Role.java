package org.opendelegate.manager.security;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/** What a principal may do: each role is a fixed set of {@link Permission}s; every role reads its account. */
public enum Role {
    /** Sees and changes everything in its account. */
    ADMIN("sees and changes everything"),
    /** Sees everything and runs tasks (scripts included); manages nothing (users, tokens, groups, providers). */
    OPERATOR("sees everything and runs tasks"),
    /** Sees everything in its account, changes nothing. */
    VIEWER("sees everything, changes nothing");

    private final String summary;

    Role(String summary) {
        this.summary = summary;
    }

    /** Whether this role has the permission: the one table of who may do what. */
    public boolean may(Permission permission) {
        return switch (this) {
            case ADMIN -> true;
            case OPERATOR ->
                EnumSet.of(Permission.RUN_TASKS, Permission.DEPLOY, Permission.READ_AUDIT)
                        .contains(permission);
            case VIEWER -> false;
        };
    }

    /** The role as people read it: {@code Admin}, {@code Operator}, {@code Viewer}. */
    public String label() {
        return name().charAt(0) + name().substring(1).toLowerCase(Locale.ROOT);
    }

    /** What the role may do, for messages: "sees everything and runs tasks". */
    public String summary() {
        return summary;
    }

    /** The roles that have a permission, e.g. {@code [ADMIN, OPERATOR]}. */
    public static List<Role> with(Permission permission) {
        return Arrays.stream(values()).filter(r -> r.may(permission)).toList();
    }
}
