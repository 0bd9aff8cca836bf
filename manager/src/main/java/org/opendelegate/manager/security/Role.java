package org.opendelegate.manager.security;

/** What a principal may do. */
public enum Role {
    /** Sees and changes everything in its account. */
    ADMIN,
    /** Sees everything in its account, changes nothing. */
    VIEWER;

    /** The role as people read it: {@code Admin}, {@code Viewer}. */
    public String label() {
        return name().charAt(0) + name().substring(1).toLowerCase(java.util.Locale.ROOT);
    }
}
