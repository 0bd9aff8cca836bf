package org.opendelegate.manager.delegates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.problems.DomainProblem;

class TrustedIdentitiesTest {
    private static final String TASK_ROLE = "arn:aws:sts::123456789012:assumed-role/opendelegate-task/*";

    @Test
    void aRoleArnIsStoredAsAnySessionOfThatRoleWithoutItsPath() {
        assertThat(TrustedIdentities.validate(
                        "t",
                        List.of(
                                "arn:aws:iam::123456789012:role/opendelegate-task",
                                " arn:aws:iam::123456789012:role/team/a/opendelegate-task ",
                                "arn:aws:iam::123456789012:user/ci")))
                .containsExactly(TASK_ROLE, "arn:aws:iam::123456789012:user/ci");
    }

    @Test
    void everyBadEntryIsNamed() {
        assertThatThrownBy(() -> TrustedIdentities.validate(
                        "trustedIdentities",
                        List.of(
                                TASK_ROLE,
                                "arn:aws:sts::12345:assumed-role/x/*",
                                "*",
                                "arn:aws:sts::123456789012:assumed-role/*")))
                .isInstanceOfSatisfying(
                        DomainProblem.class,
                        p -> assertThat(p.getMessage())
                                .contains("trustedIdentities[1]")
                                .contains("trustedIdentities[2]")
                                .contains("trustedIdentities[3]")
                                .doesNotContain("trustedIdentities[0]"));
    }

    @Test
    void aSessionPatternMatchesOnlySessionsOfThatRoleInThatAccount() {
        List<String> trusted = List.of(TASK_ROLE);
        assertThat(TrustedIdentities.trusts(trusted, "arn:aws:sts::123456789012:assumed-role/opendelegate-task/abc"))
                .isTrue();
        assertThat(TrustedIdentities.trusts(trusted, "arn:aws:sts::111111111111:assumed-role/opendelegate-task/abc"))
                .isFalse();
        assertThat(TrustedIdentities.trusts(trusted, "arn:aws:sts::123456789012:assumed-role/opendelegate-task2/a"))
                .isFalse();
        assertThat(TrustedIdentities.trusts(trusted, "arn:aws:sts::123456789012:assumed-role/opendelegate-task/"))
                .isFalse();
        assertThat(TrustedIdentities.trusts(trusted, "arn:aws:sts::123456789012:assumed-role/opendelegate-task/a/b"))
                .isFalse();
        assertThat(TrustedIdentities.trusts(List.of(), "arn:aws:sts::123456789012:assumed-role/opendelegate-task/a"))
                .isFalse();
    }
}
