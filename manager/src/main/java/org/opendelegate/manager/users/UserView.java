package org.opendelegate.manager.users;

import java.time.Instant;
import org.opendelegate.manager.store.ConsoleUser;

/** A console user as the API and the console show it: never the password hash. */
public record UserView(
        String id,
        String username,
        String role,
        String createdBy,
        Instant createdAt,
        Instant passwordChangedAt,
        Instant lastSignInAt,
        boolean disabled,
        Instant disabledAt) {

    static UserView of(ConsoleUser u) {
        return new UserView(
                u.id(),
                u.username(),
                u.role().name(),
                u.createdBy(),
                u.createdAt(),
                u.passwordChangedAt(),
                u.lastSignInAt(),
                u.disabled(),
                u.disabledAt());
    }

    public boolean isAdmin() {
        return "ADMIN".equals(role);
    }
}
