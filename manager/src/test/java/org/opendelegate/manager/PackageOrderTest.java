package org.opendelegate.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The allowed order of packages, written down once, here. A package may use only packages on lower lines;
 * packages on one line do not use each other. The composition root (the module's top package) may use
 * everything. A package missing from the order fails the test too: place it before adding it. Every
 * reference counts: imports, fully qualified names and Javadoc links in {@code src/main/java}.
 * docs/architecture.md explains the order; keep the two in step.
 */
class PackageOrderTest {

    /** The Manager, top to bottom: adapters, their HTTP plumbing, domain, then what the domain stands on. */
    static final List<String> MANAGER_ORDER = List.of(
            "api web delegateapi ops", // adapters: REST, console, delegate protocol, health and metrics
            "http", // Javalin plumbing: problem+json, JSON bodies, API key filter
            "conversation bootstrap", // the delegate protocol as one service; the first start
            "deployments", // ECS deployments: one aws.ecs.deploy task of a provider each, steps from checkpoints
            "providers installers", // cloud providers (tasks through delegates); delegate installers
            "dispatch profiles", // tasks, leases, outcomes; delegate profiles and their runs
            "secrets", // the account secret store; resolves a task's secret:NAME references at submission
            "delegates users audit", // delegate sessions, groups, tokens; console users, API keys; the audit trail
            "limits", // quotas per account, rates per token and delegate; refusals counted and audited
            "metrics", // Micrometer meters
            "cluster", // signals between replicas on one store: LISTEN/NOTIFY on PostgreSQL, nothing on H2
            "store", // rows and DAOs: JDBI, Flyway
            "config", // settings read from the environment
            "security", // secrets, hashes, the master key, Principal and Role
            "problems"); // DomainProblem: what domain code throws

    /** Beyond the order: the console goes through services, never the store (issue 10). */
    static final Map<String, Set<String>> MANAGER_FORBIDDEN = Map.of("web", Set.of("store"));

    /** The Delegate, top to bottom. Adjust the lines when packages are renamed; keep one line per layer. */
    static final List<String> DELEGATE_ORDER = List.of(
            "loop", // heartbeat, poll and reporting loops
            "profile", // delegate profile scripts
            "session run tasks script", // the registered session; running tasks; built-in task types; scripts
            "ecs health process aws", // ECS metadata -> identity; health port; process groups; the AWS SDK's loader
            "client", // one method per Manager call, failures classified once
            "config logging stop time"); // settings, log setup, exit codes and stop signal, sleeper

    private static final Path MANAGER_SOURCES = Path.of("src/main/java/org/opendelegate/manager");
    private static final Path DELEGATE_SOURCES = Path.of("../delegate/src/main/java/org/opendelegate/delegate");

    @Test
    void managerPackagesUseOnlyPackagesBelowThem() {
        assertThat(violations(MANAGER_SOURCES, "org.opendelegate.manager", MANAGER_ORDER, MANAGER_FORBIDDEN))
                .isEmpty();
    }

    @Test
    void delegatePackagesUseOnlyPackagesBelowThem() {
        assertThat(violations(DELEGATE_SOURCES, "org.opendelegate.delegate", DELEGATE_ORDER, Map.of()))
                .isEmpty();
    }

    /** One line per reference that goes up, sideways, to a forbidden package, or from an unplaced package. */
    static List<String> violations(Path root, String base, List<String> order, Map<String, Set<String>> forbidden) {
        assertThat(root).as("sources of " + base).isDirectory();
        Pattern reference = Pattern.compile(Pattern.quote(base) + "\\.([a-z][a-z0-9_]*)\\.[A-Z]");
        List<String> problems = new ArrayList<>();
        for (Path file : javaFiles(root)) {
            Path dir = root.relativize(file).getParent();
            if (dir == null) {
                continue; // the composition root may use everything
            }
            String from = dir.getName(0).toString();
            int fromLayer = layerOf(order, from);
            if (fromLayer < 0) {
                problems.add(file + ": package " + from + " has no place in the order; add it to the test");
                continue;
            }
            for (String to : referencedPackages(file, reference)) {
                int toLayer = layerOf(order, to);
                boolean allowed = to.equals(from) || toLayer > fromLayer;
                boolean banned = forbidden.getOrDefault(from, Set.of()).contains(to);
                if (!allowed || banned) {
                    problems.add(root.relativize(file) + " uses " + to + ", which "
                            + (banned
                                    ? "is forbidden to " + from
                                    : toLayer < 0 ? "has no place in the order" : "is not below " + from));
                }
            }
        }
        return problems;
    }

    private static int layerOf(List<String> order, String pkg) {
        for (int i = 0; i < order.size(); i++) {
            if (List.of(order.get(i).trim().split("\\s+")).contains(pkg)) {
                return i;
            }
        }
        return -1;
    }

    private static Set<String> referencedPackages(Path file, Pattern reference) {
        try {
            Matcher m = reference.matcher(Files.readString(file));
            Set<String> found = new TreeSet<>();
            while (m.find()) {
                found.add(m.group(1));
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> javaFiles(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
