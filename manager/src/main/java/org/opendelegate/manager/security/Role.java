package org.opendelegate.manager.security;

/** What a principal may do. */
public enum Role {
    /** Sees and changes everything in its account. */
    ADMIN,
    /** Sees everything in its account, changes nothing. */
    VIEWER
}
