package org.opendelegate.manager.users;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategy;
import java.nio.charset.StandardCharsets;

/**
 * bcrypt for console passwords. Cost 11 takes about 0.1 s per hash on one core: slow enough to make a
 * stolen database expensive to guess through, fast enough that signing in on a small Manager stays
 * instant. Passwords longer than bcrypt's 72 bytes are pre-hashed with SHA-512 instead of being cut.
 */
public final class PasswordHasher {
    static final int COST = 11;
    private static final BCrypt.Version VERSION = BCrypt.Version.VERSION_2B;
    private static final LongPasswordStrategy LONG = LongPasswordStrategies.hashSha512(VERSION);
    /**
     * Verified when the username is unknown, so that the answer takes as long as for a known one. Made on
     * first use (a holder class), not at start: a restarting Manager must be back before leases lapse.
     */
    private static final class Dummy {
        static final byte[] HASH =
                BCrypt.with(VERSION, LONG).hash(COST, "no such user".getBytes(StandardCharsets.UTF_8));
    }

    public String hash(String password) {
        return new String(
                BCrypt.with(VERSION, LONG).hash(COST, password.getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8);
    }

    /** True when the password matches the hash; a malformed hash never matches. */
    public boolean matches(String password, String hash) {
        return BCrypt.verifyer(VERSION, LONG)
                .verify(password.getBytes(StandardCharsets.UTF_8), hash.getBytes(StandardCharsets.UTF_8))
                .verified;
    }

    /** Spends the time of one verification without a user, against timing-based username probing. */
    public void spendVerificationTime(String password) {
        BCrypt.verifyer(VERSION, LONG).verify(password.getBytes(StandardCharsets.UTF_8), Dummy.HASH);
    }
}
