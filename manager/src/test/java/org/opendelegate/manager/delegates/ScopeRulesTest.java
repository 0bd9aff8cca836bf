package org.opendelegate.manager.delegates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.store.GroupScopes;

class ScopeRulesTest {

    @Test
    void environmentTypesAreNormalisedAndWildcardsAllowedInGroups() {
        GroupScopes scopes = ScopeRules.validate(
                new GroupScopes(List.of(Map.of("environmentType", "prod", "application", "*")), List.of()));

        assertThat(scopes.include().get(0))
                .containsEntry("environmentType", "PROD")
                .containsEntry("application", "*");
    }

    @Test
    void everyBadFieldIsReportedWithItsPlace() {
        DomainProblem e = catchThrowableOfType(
                DomainProblem.class,
                () -> ScopeRules.validate(new GroupScopes(
                        List.of(Map.of(), Map.of("environmentType", "STAGING")),
                        List.of(Map.of("9lives", "x"), Map.of("application", "")))));

        assertThat(e.errors())
                .extracting(f -> f.field())
                .containsExactly(
                        "include[0]", "include[1].environmentType", "exclude[0].9lives", "exclude[1].application");
    }

    @Test
    void aTaskTargetNamesConcreteValues() {
        DomainProblem e = catchThrowableOfType(
                DomainProblem.class, () -> ScopeRules.validateTarget("scope", Map.of("application", "*")));

        assertThat(e.getMessage()).contains("`scope.application` is '*'");
        assertThat(ScopeRules.validateTarget("scope", Map.of("environmentType", "non_prod")))
                .containsEntry("environmentType", "NON_PROD");
    }
}
