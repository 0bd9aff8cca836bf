package org.opendelegate.manager.deployments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opendelegate.manager.problems.FieldRules;
import org.opendelegate.manager.providers.CloudProviders;

/**
 * What a deployment request must be, field by field, before anything is stored: every problem found at once,
 * each naming its field. The delegate checks again; this is where a person learns what to fix.
 */
final class DeploymentRules {
    static final int MIN_STEADY_STATE_SECONDS = 30;
    static final int MAX_STEADY_STATE_SECONDS = 3600;
    static final int MAX_DESIRED_COUNT = 10_000;
    static final int MAX_VARIABLES = 200;
    static final int MAX_VARIABLE_VALUE = 65_536;

    /** A variable's name, as {@code ${NAME}} placeholders and {@code variables} keys write it. */
    static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
    /** ECS names a cluster, a service or a container with letters, digits, '-' and '_', up to 255. */
    private static final Pattern ECS_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,254}");

    private static final Pattern CLUSTER_ARN =
            Pattern.compile("arn:aws[a-z-]*:ecs:([a-z0-9-]+):\\d{12}:cluster/([A-Za-z0-9][A-Za-z0-9_-]{0,254})");
    private static final Pattern IMAGE = Pattern.compile("[^\\s\\p{Cntrl}]{1,1024}");

    private DeploymentRules() {}

    /** A valid request, with the defaults filled in and the cluster's name. */
    record Valid(
            String cloudProviderId,
            String region,
            String cluster,
            String clusterName,
            String service,
            ObjectNode taskDefinition,
            String image,
            String container,
            ObjectNode variables,
            Integer desiredCount,
            ObjectNode serviceDefinition,
            int steadyStateTimeoutSeconds,
            boolean rollbackOnFailure,
            boolean dryRun) {}

    /**
     * Checks every field.
     *
     * @throws org.opendelegate.manager.problems.DomainProblem 400 naming each field that is wrong
     */
    static Valid check(DeploymentRequest r) {
        FieldRules rules = new FieldRules()
                .required("cloudProviderId", r.cloudProviderId(), 64)
                .required("region", r.region(), 40)
                .required("cluster", r.cluster(), 2048)
                .required("service", r.service(), 255);
        String region = trim(r.region());
        if (region != null && !region.isEmpty() && !CloudProviders.isRegion(region)) {
            rules.error("region", "(\"" + shorten(region) + "\") is not an AWS region id; write e.g. \"eu-west-1\".");
        }
        String cluster = trim(r.cluster());
        String clusterName = null;
        if (cluster != null && !cluster.isEmpty()) {
            Matcher arn = CLUSTER_ARN.matcher(cluster);
            if (arn.matches()) {
                clusterName = arn.group(2);
                if (region != null
                        && CloudProviders.isRegion(region)
                        && !arn.group(1).equals(region)) {
                    // ECS answers ClusterNotFoundException for a cluster of another region, after the delegate
                    // took the task; say it before anything is queued.
                    rules.error(
                            "cluster",
                            "is a cluster ARN in region " + arn.group(1) + " but `region` is " + region
                                    + "; deploy in the cluster's region, or give a cluster of " + region + ".");
                }
            } else if (ECS_NAME.matcher(cluster).matches()) {
                clusterName = cluster;
            } else {
                rules.error(
                        "cluster",
                        "(\"" + shorten(cluster) + "\") is neither a cluster name (letters, digits, '-' and '_', up to"
                                + " 255) nor a cluster ARN (arn:aws:ecs:REGION:ACCOUNT:cluster/NAME).");
            }
        }
        String service = trim(r.service());
        if (service != null && !service.isEmpty() && !ECS_NAME.matcher(service).matches()) {
            rules.error(
                    "service",
                    "(\"" + shorten(service) + "\") is not a service name: letters, digits, '-' and '_', up to 255.");
        }
        ObjectNode variables = variables(r.variables(), rules);
        boolean hasDefinition =
                r.taskDefinition() != null && !r.taskDefinition().isNull();
        boolean hasImage = r.image() != null && !r.image().isBlank();
        ObjectNode taskDefinition = null;
        if (hasDefinition == hasImage) {
            String which = hasDefinition ? "both are given" : "neither is given";
            rules.error(
                    "taskDefinition",
                    "or `image`: give exactly one (" + which + "). `taskDefinition` is a full "
                            + "RegisterTaskDefinition input; `image` changes one container's image of the service's current "
                            + "task definition.");
        } else if (hasDefinition) {
            taskDefinition = taskDefinition(r.taskDefinition(), variables, rules);
        } else if (!IMAGE.matcher(r.image().trim()).matches()) {
            rules.error(
                    "image",
                    "is 1 to 1024 characters without spaces or control characters, e.g. "
                            + "\"123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.4.2\".");
        }
        String container = trim(r.container());
        if (container != null && !container.isEmpty()) {
            if (!hasImage) {
                rules.error("container", "goes with `image` only (it names the container whose image changes).");
            } else if (!ECS_NAME.matcher(container).matches()) {
                rules.error(
                        "container",
                        "(\"" + shorten(container) + "\") is not a container name: letters, digits,"
                                + " '-' and '_', up to 255.");
            }
        }
        if (r.desiredCount() != null && (r.desiredCount() < 0 || r.desiredCount() > MAX_DESIRED_COUNT)) {
            rules.error(
                    "desiredCount",
                    "is " + r.desiredCount() + "; use 0 to " + MAX_DESIRED_COUNT
                            + ", or leave it out to keep the service's.");
        }
        ObjectNode serviceDefinition = null;
        if (r.serviceDefinition() != null && !r.serviceDefinition().isNull()) {
            if (r.serviceDefinition() instanceof ObjectNode object) {
                serviceDefinition = object;
            } else {
                rules.error(
                        "serviceDefinition",
                        "is a CreateService input: a JSON object (launchType, "
                                + "networkConfiguration, loadBalancers, ...).");
            }
        }
        int timeout = r.steadyStateTimeoutSeconds() == null
                ? Deployments.DEFAULT_STEADY_STATE_TIMEOUT_SECONDS
                : r.steadyStateTimeoutSeconds();
        if (timeout < MIN_STEADY_STATE_SECONDS || timeout > MAX_STEADY_STATE_SECONDS) {
            rules.error(
                    "steadyStateTimeoutSeconds",
                    "is " + timeout + "; use " + MIN_STEADY_STATE_SECONDS + " to "
                            + MAX_STEADY_STATE_SECONDS + " (default " + Deployments.DEFAULT_STEADY_STATE_TIMEOUT_SECONDS
                            + ").");
        }
        rules.throwIfAny();
        return new Valid(
                r.cloudProviderId().trim(),
                region,
                cluster,
                clusterName,
                service,
                taskDefinition,
                hasImage ? r.image().trim() : null,
                container == null || container.isEmpty() ? null : container,
                variables,
                r.desiredCount(),
                serviceDefinition,
                timeout,
                r.rollbackOnFailure() == null || r.rollbackOnFailure(),
                Boolean.TRUE.equals(r.dryRun()));
    }

    private static ObjectNode variables(Map<String, String> given, FieldRules rules) {
        ObjectNode variables = JsonNodeFactory.instance.objectNode();
        if (given == null) {
            return variables;
        }
        if (given.size() > MAX_VARIABLES) {
            rules.error("variables", "has " + given.size() + " entries; at most " + MAX_VARIABLES + " are allowed.");
            return variables;
        }
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(given).entrySet()) {
            String field = "variables." + shorten(e.getKey());
            if (!NAME.matcher(e.getKey()).matches() || e.getKey().length() > 128) {
                rules.error(field, "is not a variable name: a letter or '_', then letters, digits or '_' (up to 128).");
            } else if (e.getValue() == null) {
                rules.error(field, "has no value; give a text, or \"secret:NAME\" for a secret of the account.");
            } else if (e.getValue().length() > MAX_VARIABLE_VALUE) {
                rules.error(
                        field,
                        "is " + e.getValue().length() + " characters long; at most " + MAX_VARIABLE_VALUE
                                + " are allowed.");
            } else {
                variables.put(e.getKey(), e.getValue());
            }
        }
        return variables;
    }

    private static ObjectNode taskDefinition(JsonNode given, ObjectNode variables, FieldRules rules) {
        if (!(given instanceof ObjectNode definition)) {
            rules.error(
                    "taskDefinition",
                    "is a RegisterTaskDefinition input: a JSON object with `family` and " + "`containerDefinitions`.");
            return null;
        }
        if (!definition.path("family").isTextual()
                || definition.path("family").asText().isBlank()) {
            rules.error("taskDefinition.family", "is required: the task definition family, e.g. \"web\".");
        }
        JsonNode containers = definition.path("containerDefinitions");
        if (!containers.isArray() || containers.isEmpty()) {
            rules.error(
                    "taskDefinition.containerDefinitions",
                    "is required: an array of at least one container definition.");
        }
        Set<String> placeholders = new TreeSet<>();
        Set<String> malformed = new TreeSet<>();
        collect(definition, placeholders, malformed);
        for (String bad : malformed) {
            rules.error(
                    "taskDefinition",
                    "has the placeholder ${" + shorten(bad) + "}, which is not a variable name "
                            + "(a letter or '_', then letters, digits or '_').");
        }
        for (String name : placeholders) {
            if (!variables.has(name)) {
                rules.error(
                        "variables." + name,
                        "is missing: the task definition uses ${" + name + "}; add it to "
                                + "`variables` (a value, or \"secret:NAME\" for a secret of the account).");
            }
        }
        return definition;
    }

    private static void collect(JsonNode node, Set<String> placeholders, Set<String> malformed) {
        if (node.isTextual()) {
            Matcher m = PLACEHOLDER.matcher(node.asText());
            while (m.find()) {
                (NAME.matcher(m.group(1)).matches() ? placeholders : malformed).add(m.group(1));
            }
        } else if (node.isContainerNode()) {
            node.forEach(child -> collect(child, placeholders, malformed));
            if (node.isObject()) {
                node.fieldNames()
                        .forEachRemaining(
                                name -> collect(JsonNodeFactory.instance.textNode(name), placeholders, malformed));
            }
        }
    }

    private static String trim(String s) {
        return s == null ? null : s.trim();
    }

    private static String shorten(String s) {
        String clean = s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() <= 80 ? clean : clean.substring(0, 80) + "...";
    }
}
