package org.opendelegate.manager.store;

import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The session credentials of delegates: the hash of the secret a registration hands out, kept on the
 * delegate's row next to the session it belongs to. A new registration replaces it (the replaced one is
 * kept one generation, to be told apart from an unknown one); the secret itself is never stored.
 */
public final class SessionCredentialDao {
    private final Jdbi jdbi;

    /**
     * The session a credential belongs to.
     *
     * @param tokenId the delegate token the delegate registered with, or null when it registered without one
     * @param replaced true when this is the credential of the session the last registration replaced
     */
    public record SessionOwner(
            String accountId, String delegateId, String sessionId, String tokenId, boolean replaced) {}

    public SessionCredentialDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Binds a credential (its hash) to the delegate's current session; false when that session is not current. */
    public boolean bind(String delegateId, String sessionId, String hash) {
        return jdbi.withHandle(
                        h -> h.createUpdate("UPDATE delegate SET replaced_session_token_hash = session_token_hash, "
                                        + "session_token_hash = :h WHERE id = :id AND session_id = :s")
                                .bind("h", hash)
                                .bind("id", delegateId)
                                .bind("s", sessionId)
                                .execute())
                == 1;
    }

    /** The session whose credential has this hash. */
    public Optional<SessionOwner> findByHash(String hash) {
        return find("session_token_hash", hash, false).or(() -> find("replaced_session_token_hash", hash, true));
    }

    private Optional<SessionOwner> find(String column, String hash, boolean replaced) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT account_id, id, session_id, token_id FROM delegate " + "WHERE " + column + " = :h")
                .bind("h", hash)
                .map((rs, ctx) -> new SessionOwner(
                        rs.getString("account_id"),
                        rs.getString("id"),
                        rs.getString("session_id"),
                        rs.getString("token_id"),
                        replaced))
                .findFirst());
    }
}
