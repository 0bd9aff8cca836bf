package org.opendelegate.manager.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Slows down password guessing without letting anyone lock a person out. Failures are counted per
 * username <em>and client address</em> (a guesser at one address slows down only their own attempts at
 * that username: the real user signing in from elsewhere is not held back) and per client address (one
 * address spraying many usernames slows down all of its attempts). After a few free failures the next
 * attempt must wait: 1 s, then twice as long after every further failure, up to {@link #CAP}. While it
 * waits, an attempt is refused without looking at the password, so a guess in that time teaches nothing.
 * A success clears the count of that username at that address.
 *
 * <p>Kept in memory: each replica counts on its own, which bounds guessing per replica and needs no
 * store writes on the sign-in path. The counts live in a Caffeine cache, which bounds their number and
 * forgets a count nobody added to for {@link #FORGET_AFTER}. The rule is a backoff that doubles, not a
 * rate, which is why this is not a token-bucket rate limiter (see docs/architecture.md).
 */
public final class SignInThrottle {
    static final int FREE_PER_USERNAME = 3;
    static final int FREE_PER_ADDRESS = 10;
    static final Duration FIRST = Duration.ofSeconds(1);
    static final Duration CAP = Duration.ofMinutes(5);
    private static final Duration FORGET_AFTER = Duration.ofHours(1);
    private static final int MAX_ENTRIES = 20_000;

    private record Failures(int count, Instant last) {}

    private final Clock clock;
    private final Cache<String, Failures> failures;

    public SignInThrottle(Clock clock) {
        this.clock = clock;
        this.failures = Caffeine.newBuilder()
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .expireAfterWrite(FORGET_AFTER)
                .maximumSize(MAX_ENTRIES)
                .build();
    }

    /** How long an attempt for this username from this address must still wait; zero when it may go ahead. */
    public Duration waitFor(String username, String address) {
        Duration byUser = remaining(userKey(username, address), FREE_PER_USERNAME);
        Duration byAddress = remaining(addressKey(address), FREE_PER_ADDRESS);
        return byUser.compareTo(byAddress) >= 0 ? byUser : byAddress;
    }

    /** Counts a failed attempt; returns how long the next one must wait. */
    public Duration failed(String username, String address) {
        Instant now = clock.instant();
        for (String key : new String[] {userKey(username, address), addressKey(address)}) {
            failures.asMap().merge(key, new Failures(1, now), (old, one) -> new Failures(old.count() + 1, now));
        }
        return waitFor(username, address);
    }

    public void succeeded(String username, String address) {
        failures.invalidate(userKey(username, address));
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

    private Duration remaining(String key, int free) {
        Failures f = failures.getIfPresent(key);
        if (f == null) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(clock.instant(), f.last().plus(delay(f.count(), free)));
        return left.isNegative() ? Duration.ZERO : left;
    }

    private static String userKey(String username, String address) {
        return "u:" + address + ":" + (username == null ? "" : username.trim().toLowerCase(Locale.ROOT));
    }

    private static String addressKey(String address) {
        return "a:" + address;
    }
}
