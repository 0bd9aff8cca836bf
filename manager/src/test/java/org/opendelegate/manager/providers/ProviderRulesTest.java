package org.opendelegate.manager.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.problems.ProblemKind;
import org.opendelegate.protocol.Problem;

class ProviderRulesTest {
    private static CloudProviderRequest role(List<String> selectors) {
        return new CloudProviderRequest(
                "AWS prod",
                "AWS",
                "us-east-1",
                new CloudProviderRequest.Credentials("DELEGATE_IAM_ROLE", selectors, null, null),
                null);
    }

    private static CloudProviderRequest key(String id, String secret) {
        return new CloudProviderRequest(
                "AWS keys",
                null,
                "eu-central-1",
                new CloudProviderRequest.Credentials("ACCESS_KEY", null, id, secret),
                null);
    }

    private static List<String> fields(Runnable r) {
        try {
            r.run();
        } catch (DomainProblem e) {
            assertThat(e.kind()).isEqualTo(ProblemKind.INVALID);
            return e.errors().stream().map(Problem.FieldError::field).toList();
        }
        throw new AssertionError("expected a 400");
    }

    @Test
    void delegateRoleNeedsSelectorsNormalisedLikeEverySelector() {
        ProviderRules.Valid v = ProviderRules.validate(role(List.of("ECS-Prod ", "ecs-prod")), false);

        assertThat(v.selectors()).containsExactly("ecs-prod");
        assertThat(fields(() -> ProviderRules.validate(role(null), false)))
                .containsExactly("credentials.delegateSelectors");
        assertThatThrownBy(() -> ProviderRules.validate(role(List.of()), false))
                .hasMessageContaining("Delegate selectors are required for Assume IAM Role on Delegate");
        assertThat(fields(() -> ProviderRules.validate(role(List.of("bad selector!")), false)))
                .containsExactly("credentials.delegateSelectors[0]");
    }

    @Test
    void anAccessKeyNeedsItsIdAndOnCreateItsSecretButAnEditMayKeepTheStoredSecret() {
        assertThat(ProviderRules.validate(key("AKIAIOSFODNN7EXAMPLE", "wJalr/XUtnFEMI"), false)
                        .secretAccessKey())
                .isEqualTo("wJalr/XUtnFEMI");
        assertThat(fields(() -> ProviderRules.validate(key("AKIAIOSFODNN7EXAMPLE", null), false)))
                .containsExactly("credentials.secretAccessKey");
        assertThat(ProviderRules.validate(key("AKIAIOSFODNN7EXAMPLE", ""), true).secretAccessKey())
                .isNull();
        assertThat(fields(() -> ProviderRules.validate(key("akia-lower", "s"), false)))
                .containsExactly("credentials.accessKeyId");
        assertThat(fields(() -> ProviderRules.validate(key("AKIAIOSFODNN7EXAMPLE", "has space"), false)))
                .containsExactly("credentials.secretAccessKey");
    }

    @Test
    void nameRegionTypeAndRoleShapesAreCheckedTogether() {
        var bad = new CloudProviderRequest(
                " ",
                "GCP",
                "useast1",
                new CloudProviderRequest.Credentials("DELEGATE_IAM_ROLE", List.of("x"), "AKIAIOSFODNN7EXAMPLE", null),
                new CloudProviderRequest.CrossAccountRole("arn:aws:iam::12:user/x", "a"));

        assertThat(fields(() -> ProviderRules.validate(bad, false)))
                .containsExactlyInAnyOrder(
                        "name",
                        "type",
                        "region",
                        "credentials",
                        "crossAccountRole.roleArn",
                        "crossAccountRole.externalId");
        var good = new CloudProviderRequest(
                "x",
                "AWS",
                "us-gov-west-1",
                role(List.of("a")).credentials(),
                new CloudProviderRequest.CrossAccountRole("arn:aws-us-gov:iam::123456789012:role/deploy/er", "ext-1"));
        assertThat(ProviderRules.validate(good, false).roleArn()).endsWith("role/deploy/er");
        assertThat(fields(() ->
                        ProviderRules.validate(new CloudProviderRequest("x", null, "us-east-1", null, null), false)))
                .containsExactly("credentials.type");
    }

    @Test
    void theSecretNeverShowsInTheTextFormOfARequest() {
        assertThat(key("AKIAIOSFODNN7EXAMPLE", "wJalr/XUtnFEMI").toString()).doesNotContain("wJalr");
        assertThat(ProviderRules.validate(key("AKIAIOSFODNN7EXAMPLE", "wJalr/XUtnFEMI"), false)
                        .toString())
                .doesNotContain("wJalr");
    }
}
