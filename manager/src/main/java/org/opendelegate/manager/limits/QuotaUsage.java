package org.opendelegate.manager.limits;

import java.util.Locale;

/** How much of a quota an account uses, as the console shows it: "12 of 10,000 delegates". */
public record QuotaUsage(Quota quota, long used, long max) {

    public boolean full() {
        return used >= max;
    }

    /** E.g. "12 of 10,000 delegates". */
    public String text() {
        return String.format(Locale.ROOT, "%,d of %,d %s", used, max, quota.many());
    }
}
