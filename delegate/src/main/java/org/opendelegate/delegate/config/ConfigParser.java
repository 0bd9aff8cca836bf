package org.opendelegate.delegate.config;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.opendelegate.protocol.DelegateType;

/**
 * Builds a {@link DelegateConfig} from environment variables, the way ECS passes settings. A blank value
 * counts as unset, because task definitions often carry empty variables. Every problem is collected,
 * so one run shows them all.
 */
public final class ConfigParser {
    static final Pattern GROUP_NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$");
    static final Pattern SELECTOR = Pattern.compile("^[a-z0-9][a-z0-9._-]{0,63}$");
    static final Pattern NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$");
    private static final String WHERE = " (Manager console: Setup → Delegates → Download Delegate)";

    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();

    private ConfigParser(Map<String, String> env) {
        this.env = env;
    }

    /** Reads and validates the settings; throws with every problem found. */
    public static DelegateConfig parse(Map<String, String> env) throws InvalidConfigException {
        return new ConfigParser(env).build();
    }

    private DelegateConfig build() throws InvalidConfigException {
        URI managerUrl = managerUrl();
        String accountId = headerSafe("ACCOUNT_ID", "the account id" + WHERE, true);
        String managerName = iamManagerName(managerUrl);
        String token = managerName != null ? null : token();
        String group = groupName();
        String profile = profile();
        List<String> selectors = selectors();
        String name = name();
        DelegateType type = type();
        int healthPort =
                integer("DELEGATE_HEALTH_PORT", 8089, 0, 65535, "a TCP port, or 0 to disable the health endpoint");
        int capacity = integer("DELEGATE_CAPACITY", 8, 1, 256, "how many tasks may run at once");
        int drain = integer("DELEGATE_DRAIN_SECONDS", 25, 0, 86_400, "seconds to wait for running tasks at shutdown");
        LogFormat logFormat = logFormat();
        ProxySettings proxies = ProxySettings.parse(env, problems);
        Path workDir = workDir();
        ManagerTls tls = ManagerTls.parse(env, managerUrl, problems);
        boolean allowScripts = bool("DELEGATE_ALLOW_SCRIPTS", true, "whether this delegate runs shell.script tasks");
        Duration ecsPollInterval = duration(
                "DELEGATE_ECS_POLL_INTERVAL",
                Duration.ofSeconds(5),
                Duration.ofMillis(100),
                Duration.ofMinutes(1),
                "how often an ECS deployment asks for its service's state");
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        return new DelegateConfig(
                managerUrl,
                accountId,
                token,
                group,
                profile,
                selectors,
                name,
                type,
                healthPort,
                capacity,
                Duration.ofSeconds(drain),
                logFormat,
                value("ECS_CONTAINER_METADATA_URI_V4"),
                proxies,
                workDir,
                managerName,
                tls,
                allowScripts,
                ecsPollInterval);
    }

    /**
     * With {@code DELEGATE_AUTHENTICATION=IAM} the delegate registers with its AWS identity instead of a token:
     * what names the Manager in its proof ({@code MANAGER_ID}, else {@code MANAGER_URL}'s origin). Null for
     * token authentication (the default).
     */
    private String iamManagerName(URI managerUrl) {
        String mode = value("DELEGATE_AUTHENTICATION");
        if (mode == null || mode.equalsIgnoreCase("TOKEN")) {
            return null;
        }
        if (!mode.equalsIgnoreCase("IAM")) {
            problems.add("DELEGATE_AUTHENTICATION '" + mode + "' is not TOKEN or IAM");
            return null;
        }
        String managerId = headerSafe("MANAGER_ID", "the Manager id the installer wrote", false);
        if (managerId != null) {
            return managerId;
        }
        return managerUrl == null
                ? "(no MANAGER_URL)"
                : managerUrl.getScheme() + "://" + managerUrl.getHost().toLowerCase(Locale.ROOT)
                        + (managerUrl.getPort() == -1 ? "" : ":" + managerUrl.getPort());
    }

    private URI managerUrl() {
        String raw = value("MANAGER_URL");
        if (raw == null) {
            problems.add("MANAGER_URL is not set: set it to the Manager's address, e.g. https://manager.example.com");
            return null;
        }
        try {
            URI uri = new URI(raw);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((!scheme.equals("http") && !scheme.equals("https")) || uri.getHost() == null) {
                throw new IllegalArgumentException("it needs http:// or https:// and a host");
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                throw new IllegalArgumentException("it must not carry a query, a fragment or credentials");
            }
            String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
            return new URI(scheme + "://" + uri.getRawAuthority() + path);
        } catch (Exception e) {
            problems.add("MANAGER_URL '" + raw + "' is not a valid Manager address: " + e.getMessage()
                    + "; set it to e.g. https://manager.example.com");
            return null;
        }
    }

    private String token() {
        String token = env.get("DELEGATE_TOKEN");
        if (token == null || token.isBlank()) {
            problems.add("DELEGATE_TOKEN is not set: create a delegate token" + WHERE
                    + " and pass it, ideally from Secrets Manager or SSM through the task definition's secrets");
            return null;
        }
        token = token.trim();
        if (!token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            // Never echo the token: say what is wrong without showing it.
            problems.add("DELEGATE_TOKEN contains spaces, line breaks or non-ASCII characters: copy the token again"
                    + " exactly as the Manager showed it");
            return null;
        }
        return token;
    }

    private String groupName() {
        String group = value("DELEGATE_GROUP_NAME");
        if (group == null) {
            problems.add("DELEGATE_GROUP_NAME is not set: name the delegate group this delegate joins, e.g. ecs-prod");
        } else if (!GROUP_NAME.matcher(group).matches()) {
            problems.add("DELEGATE_GROUP_NAME '" + group + "' is not a valid group name: use 1-63 letters, digits,"
                    + " '.', '_' or '-', starting with a letter or digit");
            return null;
        }
        return group;
    }

    private String profile() {
        String profile = value("DELEGATE_PROFILE");
        if (profile == null) {
            return "Primary";
        }
        if (profile.length() > 64 || !profile.chars().allMatch(c -> c >= 0x20 && c != 0x7f)) {
            problems.add("DELEGATE_PROFILE '" + profile + "' is not a valid profile name: use at most 64 printable"
                    + " characters, or leave it unset for the default profile Primary");
        }
        return profile;
    }

    private List<String> selectors() {
        String raw = value("DELEGATE_SELECTORS");
        Set<String> selectors = new LinkedHashSet<>();
        if (raw == null) {
            return List.of();
        }
        for (String part : raw.split(",")) {
            String selector = part.trim().toLowerCase(Locale.ROOT);
            if (selector.isEmpty()) {
                continue;
            }
            if (!SELECTOR.matcher(selector).matches()) {
                problems.add(
                        "DELEGATE_SELECTORS entry '" + part.trim() + "' is not a valid selector: use 1-64"
                                + " characters a-z, 0-9, '.', '_' or '-', starting with a letter or digit; separate entries with commas");
            }
            selectors.add(selector);
        }
        return List.copyOf(selectors);
    }

    private String name() {
        String name = value("DELEGATE_NAME");
        if (name != null && !NAME.matcher(name).matches()) {
            problems.add(
                    "DELEGATE_NAME '" + name + "' is not a valid delegate name: use letters, digits, '.', '_'"
                            + " or '-', starting with a letter or digit, or leave it unset to use the container id or host name");
        }
        return name;
    }

    private DelegateType type() {
        String raw = value("DELEGATE_TYPE");
        if (raw == null) {
            return value("ECS_CONTAINER_METADATA_URI_V4") != null ? DelegateType.ECS : DelegateType.SHELL;
        }
        try {
            return DelegateType.valueOf(raw.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add("DELEGATE_TYPE '" + raw + "' is not a delegate type: use ECS, SHELL or DOCKER, or leave it"
                    + " unset (ECS inside an ECS task, SHELL otherwise)");
            return null;
        }
    }

    private LogFormat logFormat() {
        String raw = value("DELEGATE_LOG_FORMAT");
        if (raw == null) {
            return LogFormat.TEXT;
        }
        try {
            return LogFormat.valueOf(raw.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add("DELEGATE_LOG_FORMAT '" + raw + "' is not a log format: use text or json");
            return LogFormat.TEXT;
        }
    }

    /**
     * {@code DELEGATE_WORK_DIR}, by default {@code .opendelegate} in the directory the process starts in.
     * Not created here (a configuration check changes nothing); it must be a directory the delegate can
     * write, or be creatable in one.
     */
    private Path workDir() {
        String raw = value("DELEGATE_WORK_DIR");
        Path dir;
        try {
            dir = Path.of(raw == null ? ".opendelegate" : raw).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            problems.add("DELEGATE_WORK_DIR '" + raw + "' is not a valid path: " + e.getReason());
            return null;
        }
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        String fix = "; set DELEGATE_WORK_DIR to a writable directory (profile scripts and script tasks run there)";
        if (existing == null || !Files.isDirectory(existing)) {
            problems.add("DELEGATE_WORK_DIR '" + dir + "' is not a directory"
                    + (existing == null ? "" : " (" + existing + " is a file)") + fix);
        } else if (!Files.isWritable(existing)) {
            problems.add("DELEGATE_WORK_DIR '" + dir + "' cannot be written by this user (" + existing
                    + " is not writable)" + fix);
        }
        return dir;
    }

    private boolean bool(String name, boolean fallback, String meaning) {
        String raw = value(name);
        if (raw == null) {
            return fallback;
        }
        if (raw.equalsIgnoreCase("true") || raw.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(raw);
        }
        problems.add(
                name + " '" + raw + "' is not true or false (" + meaning + "); unset it for the default " + fallback);
        return fallback;
    }

    /** A duration like {@code 5s}, {@code 200ms} or {@code 1m}. */
    private Duration duration(String name, Duration fallback, Duration min, Duration max, String meaning) {
        String raw = value(name);
        if (raw == null) {
            return fallback;
        }
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("(\\d{1,9})(ms|s|m)").matcher(raw);
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            Duration value = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                default -> Duration.ofMinutes(amount);
            };
            if (value.compareTo(min) >= 0 && value.compareTo(max) <= 0) {
                return value;
            }
        }
        problems.add(name + " '" + raw + "' is not a duration from " + min.toMillis() + "ms to " + max.toSeconds()
                + "s such as 5s or 200ms (" + meaning + "); unset it for the default " + fallback.toSeconds() + "s");
        return fallback;
    }

    private int integer(String name, int fallback, int min, int max, String meaning) {
        String raw = value(name);
        if (raw == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below, with the range
        }
        problems.add(name + " '" + raw + "' is not a whole number from " + min + " to " + max + " (" + meaning
                + "); unset it for the default " + fallback);
        return fallback;
    }

    private String headerSafe(String name, String what, boolean required) {
        String raw = value(name);
        if (raw == null) {
            if (required) {
                problems.add(name + " is not set: set it to " + what);
            }
            return null;
        }
        if (raw.length() > 128 || !raw.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            problems.add(name + " '" + raw + "' contains spaces or unusual characters: set it to " + what);
        }
        return raw;
    }

    private String value(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }
}
