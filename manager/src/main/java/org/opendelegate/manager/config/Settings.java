package org.opendelegate.manager.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads typed values out of the environment and collects every problem instead of stopping at the
 * first, so that a person fixing a configuration sees all of it at once.
 */
public final class Settings {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    /** Longer than any duration setting allows; a larger amount is out of range in any unit. */
    private static final long MAX_DURATION_DAYS = 365L * 1000;

    private static final Pattern BYTES = Pattern.compile("(\\d+)\\s*((?i:kib|mib|gib))?");

    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();

    Settings(Map<String, String> env) {
        this.env = env;
    }

    Optional<String> optional(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    String string(String name, String fallback) {
        return optional(name).orElse(fallback);
    }

    int port(String name, int fallback) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(raw.get());
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problem(name, raw.get(), "is not a TCP port; use a number from 1 to 65535 (0 picks a free port)");
        return fallback;
    }

    /** A whole number from {@code min} to {@code max} that fits an int, e.g. a thread count. */
    int integer(String name, int fallback, int min, int max) {
        return (int) count(name, fallback, min, max);
    }

    Duration duration(String name, Duration fallback, Duration min, Duration max) {
        return duration(name, fallback, min, max, "");
    }

    /** A duration, or empty for {@code off}: a limit that may be turned off. */
    Optional<Duration> durationOrOff(String name, Duration fallback, Duration min, Duration max) {
        if (optional(name).filter(v -> v.equalsIgnoreCase("off")).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(duration(name, fallback, min, max, ", or off"));
    }

    private Duration duration(String name, Duration fallback, Duration min, Duration max, String orElse) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return fallback;
        }
        Matcher m = DURATION.matcher(raw.get().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            problem(
                    name,
                    raw.get(),
                    "is not a duration; write a number with a unit, e.g. 500ms, 10s, 5m, 1h or 7d" + orElse);
            return fallback;
        }
        Duration value = toDuration(m.group(1), m.group(2));
        if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            problem(
                    name,
                    raw.get(),
                    "is out of range; use a value from " + format(min) + " to " + format(max) + orElse);
            return fallback;
        }
        return value;
    }

    /** A whole number from {@code min} to {@code max}, e.g. a quota. */
    long count(String name, long fallback, long min, long max) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            long value = Long.parseLong(raw.get());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problem(name, raw.get(), "is not a whole number from " + min + " to " + max);
        return fallback;
    }

    /** A size in bytes: a number, or a number with KiB, MiB or GiB, from {@code min} to {@code max}. */
    long bytes(String name, long fallback, long min, long max) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return fallback;
        }
        Matcher m = BYTES.matcher(raw.get());
        long value = -1;
        if (m.matches() && m.group(1).length() <= 12) {
            long unit = m.group(2) == null
                    ? 1
                    : switch (m.group(2).toLowerCase(Locale.ROOT)) {
                        case "kib" -> 1024L;
                        case "mib" -> 1024L * 1024;
                        default -> 1024L * 1024 * 1024;
                    };
            value = Long.parseLong(m.group(1)) * unit;
        }
        if (value >= min && value <= max) {
            return value;
        }
        problem(
                name,
                raw.get(),
                "is not a size from " + min + " to " + max
                        + " bytes; write a number of bytes, or e.g. 512KiB, 25MiB, 1GiB");
        return fallback;
    }

    Path path(String name, String fallback) {
        String raw = string(name, fallback);
        try {
            return Path.of(raw).toAbsolutePath().normalize();
        } catch (RuntimeException e) {
            problem(name, raw, "is not a usable path");
            return Path.of(fallback).toAbsolutePath();
        }
    }

    Optional<URI> httpUrl(String name) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = URI.create(raw.get());
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return Optional.of(uri);
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        problem(name, raw.get(), "is not an http(s) URL; write e.g. https://opendelegate.example.com");
        return Optional.empty();
    }

    <E extends Enum<E>> E choice(String name, Class<E> type, E fallback) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, raw.get().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> allowed = new ArrayList<>();
            for (E constant : type.getEnumConstants()) {
                allowed.add(constant.name().toLowerCase(Locale.ROOT));
            }
            problem(name, raw.get(), "is not one of " + String.join(", ", allowed));
            return fallback;
        }
    }

    void problem(String name, String value, String what) {
        problems.add(name + "=" + value + " " + what + ".");
    }

    void problem(String line) {
        problems.add(line);
    }

    void throwIfInvalid() {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    /** The duration, or null when it is too long for a {@link Duration} (or its digits for a long). */
    private static Duration toDuration(String digits, String unit) {
        long amount;
        try {
            amount = Long.parseLong(digits);
        } catch (NumberFormatException tooManyDigits) {
            return null;
        }
        if (amount > MAX_DURATION_DAYS * 86_400_000L) { // far beyond every setting's maximum, and no overflow below
            return null;
        }
        return switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    public static String format(Duration d) {
        if (d.toMillis() % 1000 != 0) {
            return d.toMillis() + "ms";
        }
        long s = d.toSeconds();
        if (s == 0) {
            return "0s";
        }
        if (s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        return s % 60 == 0 ? s / 60 + "m" : s + "s";
    }
}
