package org.opendelegate.manager.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Records "last used" times of credentials without a write on every request: at most one write per id
 * and interval on this replica. The time shown is therefore at most one interval old.
 */
public final class UsageRecorder {
    private final Clock clock;
    private final Duration every;
    private final BiConsumer<String, Instant> write;
    private final Map<String, Instant> lastWritten = new ConcurrentHashMap<>();

    public UsageRecorder(Clock clock, Duration every, BiConsumer<String, Instant> write) {
        this.clock = clock;
        this.every = every;
        this.write = write;
    }

    /** Notes a use; writes it when this id was not written within the interval. */
    public void used(String id, Instant storedLastUsed) {
        Instant now = clock.instant();
        Instant last = lastWritten.get(id);
        if (last == null && storedLastUsed != null) {
            last = storedLastUsed;
        }
        if (last == null || !last.plus(every).isAfter(now)) {
            if (lastWritten.size() > 100_000) {
                lastWritten.clear();
            }
            lastWritten.put(id, now);
            write.accept(id, now);
        }
    }
}
