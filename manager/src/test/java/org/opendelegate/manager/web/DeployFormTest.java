package org.opendelegate.manager.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.deployments.DeploymentRequest;
import org.opendelegate.protocol.Problem;

/** The Deploy form read into a deployment request, its own syntax errors, and the service's errors placed. */
class DeployFormTest {

    @Test
    void anImageDeploymentTakesImageAndContainerAndLeavesTheTaskDefinitionOut() {
        DeployForm form = form(Map.of(
                "cloudProviderId",
                "p-1",
                "region",
                " us-east-1 ",
                "cluster",
                "prod",
                "service",
                "web",
                "what",
                "image",
                "image",
                "nginx:1.27",
                "container",
                "web",
                "taskDefinition",
                "{\"family\": \"x\"}",
                "desiredCount",
                "3",
                "steadyStateTimeoutSeconds",
                "120"));
        Map<String, List<String>> syntax = new LinkedHashMap<>();

        DeploymentRequest r = form.request(true, syntax);

        assertThat(syntax).isEmpty();
        assertThat(r.region()).isEqualTo("us-east-1");
        assertThat(r.image()).isEqualTo("nginx:1.27");
        assertThat(r.container()).isEqualTo("web");
        assertThat(r.taskDefinition()).isNull();
        assertThat(r.desiredCount()).isEqualTo(3);
        assertThat(r.steadyStateTimeoutSeconds()).isEqualTo(120);
        assertThat(r.rollbackOnFailure()).as("the box was not ticked").isFalse();
        assertThat(r.dryRun()).isTrue();
    }

    @Test
    void aTaskDefinitionDeploymentTakesItsJsonAndVariables() {
        DeployForm form = form(Map.of(
                "what", "taskDefinition",
                "image", "ignored",
                "taskDefinition",
                        "{\"family\": \"web\", \"containerDefinitions\": [{\"name\": \"web\", \"image\": \"nginx:${V}\"}]}",
                "variables", "V=1.27\r\nDB=secret:db-password\n\n",
                "serviceDefinition", "{\"launchType\": \"FARGATE\"}",
                "rollbackOnFailure", "true"));

        DeploymentRequest r = form.request(false, new LinkedHashMap<>());

        assertThat(r.image()).isNull();
        assertThat(r.taskDefinition().path("family").asText()).isEqualTo("web");
        assertThat(r.variables()).containsExactly(Map.entry("V", "1.27"), Map.entry("DB", "secret:db-password"));
        assertThat(r.serviceDefinition().path("launchType").asText()).isEqualTo("FARGATE");
        assertThat(r.rollbackOnFailure()).isTrue();
        assertThat(r.dryRun()).isFalse();
    }

    @Test
    void brokenJsonBadLinesAndNumbersAreTheFormsOwnErrorsAndNoSecretIsRepeated() {
        DeployForm form = form(Map.of(
                "what", "taskDefinition",
                "taskDefinition", "{\"family\": ",
                "variables", "hunter2-no-name\nA=1\nA=2",
                "desiredCount", "two"));
        Map<String, List<String>> syntax = new LinkedHashMap<>();

        form.request(false, syntax);

        assertThat(syntax.get("taskDefinition").get(0)).startsWith("This is not valid JSON (line 1");
        assertThat(syntax.get("variables"))
                .containsExactly(
                        "Line 1 must be written NAME=value or NAME=secret:SECRET_NAME (the line is not shown again: it may hold a secret).",
                        "Line 3 sets A again; set it once.");
        assertThat(syntax.get("desiredCount")).containsExactly("\"two\" is not a whole number.");
        assertThat(syntax.toString()).doesNotContain("hunter2");
        Map<String, List<String>> array = new LinkedHashMap<>();
        form(Map.of("what", "taskDefinition", "taskDefinition", "[1]")).request(false, array);
        assertThat(array.get("taskDefinition").get(0)).startsWith("Write the task definition as one JSON object");
        Map<String, List<String>> service = new LinkedHashMap<>();
        form(Map.of("what", "taskDefinition", "taskDefinition", "{}", "serviceDefinition", "[]"))
                .request(false, service);
        assertThat(service.get("serviceDefinition").get(0))
                .startsWith("Write the service definition as one JSON object");
    }

    @Test
    void theServicesFieldErrorsGoNextToTheirFields() {
        DeployForm placed = form(Map.of())
                .withErrors(List.of(
                        new Problem.FieldError(
                                "variables.DB_PASSWORD", "is missing: the task definition uses ${DB_PASSWORD}."),
                        new Problem.FieldError("taskDefinition.containerDefinitions[0].image", "is required."),
                        new Problem.FieldError("cloudProviderId", "names no cloud provider."),
                        new Problem.FieldError("serviceDefinition", "is not an object."),
                        new Problem.FieldError("payload", "is too large.")));

        assertThat(placed.errorsOf("variables"))
                .containsExactly("`variables.DB_PASSWORD` is missing: the task definition uses ${DB_PASSWORD}.");
        assertThat(placed.errorsOf("taskDefinition")).hasSize(1);
        assertThat(placed.errorsOf("cloudProviderId")).hasSize(1);
        assertThat(placed.errorsOf("serviceDefinition")).containsExactly("`serviceDefinition` is not an object.");
        assertThat(placed.errorsOf("general")).containsExactly("`payload` is too large.");
        assertThat(placed.describedBy("variables")).isEqualTo("deploy-variables-help deploy-variables-error");
        assertThat(placed.describedBy("image")).isEqualTo("deploy-image-help");
    }

    private static DeployForm form(Map<String, String> sent) {
        Map<String, String> all = new HashMap<>(sent);
        return DeployForm.read(all::get);
    }
}
