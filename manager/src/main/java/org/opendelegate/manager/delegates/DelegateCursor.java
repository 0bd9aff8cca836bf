package org.opendelegate.manager.delegates;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import org.opendelegate.manager.problems.DomainProblem;

/**
 * Where a page of delegates ends, as an opaque token: the sort key (group name, name, id) of the last
 * delegate given. The next page starts strictly after it, so delegates that come or go between two calls
 * neither repeat nor shift the pages that follow. Names never hold control characters, so a newline
 * separates the parts.
 */
record DelegateCursor(String groupName, String name, String id) {
    /** The stable order of the list: group name, then name, then id. */
    static final Comparator<ResolvedDelegate> ORDER = Comparator.comparing(
                    (ResolvedDelegate d) -> d.group().name())
            .thenComparing(ResolvedDelegate::name)
            .thenComparing(ResolvedDelegate::id);

    private static final String VERSION = "d1";
    private static final int MAX_LENGTH = 1_000;

    static DelegateCursor after(ResolvedDelegate d) {
        return new DelegateCursor(d.group().name(), d.name(), d.id());
    }

    /** True when the delegate comes after this cursor in {@link #ORDER}. */
    boolean isBefore(ResolvedDelegate d) {
        int c = d.group().name().compareTo(groupName);
        if (c == 0) {
            c = d.name().compareTo(name);
        }
        if (c == 0) {
            c = d.id().compareTo(id);
        }
        return c > 0;
    }

    String encode() {
        String plain = VERSION + "\n" + groupName + "\n" + name + "\n" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a cursor a previous answer gave.
     *
     * @throws DomainProblem naming {@code cursor} when it is not one this Manager wrote
     */
    static DelegateCursor decode(String token) {
        if (token.length() > MAX_LENGTH) {
            throw refused();
        }
        String plain;
        try {
            plain = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw refused();
        }
        String[] parts = plain.split("\n", -1);
        if (parts.length != 4 || !parts[0].equals(VERSION)) {
            throw refused();
        }
        return new DelegateCursor(parts[1], parts[2], parts[3]);
    }

    private static DomainProblem refused() {
        return DomainProblem.invalidField(
                "cursor",
                "is not a cursor this Manager gave; send the `nextCursor` of the previous answer unchanged, or "
                        + "leave it out to start at the first page.");
    }
}
