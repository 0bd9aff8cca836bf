package org.opendelegate.manager.web;

/** Usernames people typed, made safe for a log line (bounded, no control characters). */
final class UserNames {
    private UserNames() {}

    static String forLog(String typed) {
        String clean = typed == null ? "" : typed.replaceAll("\\p{Cntrl}", "?");
        return '"' + (clean.length() > 64 ? clean.substring(0, 64) + "..." : clean) + '"';
    }
}
