package org.opendelegate.manager.users;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import org.opendelegate.manager.security.Secrets;
import org.opendelegate.manager.store.SignInFailureDao;
import org.opendelegate.manager.store.SignInFailureDao.Failures;

/**
 * Slows down password guessing without letting anyone lock a person out. Failures are counted per
 * username <em>and client address</em> (a guesser at one address slows down only their own attempts at
 * that username: the real user signing in from elsewhere is not held back) and per client address (one
 * address spraying many usernames slows down all of its attempts). After a few free failures the next
 * attempt must wait: 1 s, then twice as long after every further failure, up to {@link #CAP}. While it
 * waits, an attempt is refused without looking at the password, so a guess in that time teaches nothing.
 * A success clears the count of that username at that address.
 *
 * <p>The counts live in the store ({@code sign_in_failure}), shared by every replica: a guesser whose
 * attempts a load balancer spreads over several replicas waits as long as on one. The store is written only
 * when an attempt fails or succeeds (a sign-in attempt reads it once); a count nobody added to for
 * {@link #FORGET_AFTER} starts again, and {@link #sweep} deletes such counts, which bounds the table. The
 * rule is a backoff that doubles, not a rate, which is why this is not a token-bucket rate limiter (see
 * docs/architecture.md).
 */
public final class SignInThrottle {
    public static final int FREE_PER_USERNAME = 3;
    static final int FREE_PER_ADDRESS = 10;
    static final Duration FIRST = Duration.ofSeconds(1);
    static final Duration CAP = Duration.ofMinutes(5);
    static final Duration FORGET_AFTER = Duration.ofHours(1);

    private final SignInFailureDao failures;
    private final Clock clock;

    public SignInThrottle(SignInFailureDao failures, Clock clock) {
        this.failures = failures;
        this.clock = clock;
    }

    /** How long an attempt for this username from this address must still wait; zero when it may go ahead. */
    public Duration waitFor(String username, String address) {
        Instant now = now();
        Duration byUser = remaining(userKey(username, address), FREE_PER_USERNAME, now);
        Duration byAddress = remaining(addressKey(address), FREE_PER_ADDRESS, now);
        return byUser.compareTo(byAddress) >= 0 ? byUser : byAddress;
    }

    /** Counts a failed attempt; returns how long the next one must wait. */
    public Duration failed(String username, String address) {
        Instant now = now();
        failures.countFailure(userKey(username, address), now, now.minus(FORGET_AFTER));
        failures.countFailure(addressKey(address), now, now.minus(FORGET_AFTER));
        return waitFor(username, address);
    }

    public void succeeded(String username, String address) {
        failures.clear(userKey(username, address));
    }

    /**
     * The clock's time to the millisecond: PostgreSQL keeps microseconds and rounds, so a failure stored at a
     * finer time could read back as later than "now" and make a free attempt wait.
     */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** Deletes the counts nobody added to for {@link #FORGET_AFTER}; runs in the background. */
    public void sweep() {
        failures.deleteForgotten(clock.instant().minus(FORGET_AFTER));
    }

    /** The delay after {@code count} failures when {@code free} of them cost nothing. */
    static Duration delay(int count, int free) {
        if (count <= free) {
            return Duration.ZERO;
        }
        int doublings = Math.min(count - free - 1, 20);
        Duration delay = FIRST.multipliedBy(1L << doublings);
        return delay.compareTo(CAP) > 0 ? CAP : delay;
    }

    private Duration remaining(String key, int free, Instant now) {
        Optional<Failures> f = failures.find(key, now.minus(FORGET_AFTER));
        if (f.isEmpty()) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(now, f.get().last().plus(delay(f.get().count(), free)));
        return left.isNegative() ? Duration.ZERO : left;
    }

    // Hashed: the table holds no usernames or addresses in the clear, and every key has the same length.
    private static String userKey(String username, String address) {
        return Secrets.hash(
                "u:" + address + ":" + (username == null ? "" : username.trim().toLowerCase(Locale.ROOT)));
    }

    private static String addressKey(String address) {
        return Secrets.hash("a:" + address);
    }
}
