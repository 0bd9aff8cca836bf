package org.opendelegate.tasks.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EcsTaskTrustTest {
    private static final String ECS_TASKS = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"ecs-tasks.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";

    @Test
    void aRoleTrustingEcsTasksIsFoundAlsoWhenIamUrlEncodesThePolicy() {
        assertThat(EcsTaskTrust.allows(ECS_TASKS)).isTrue();
        assertThat(EcsTaskTrust.allows(URLEncoder.encode(ECS_TASKS, StandardCharsets.UTF_8)))
                .isTrue();
    }

    @Test
    void servicesAndActionsMayBeListsAndStatementsAnObject() {
        assertThat(
                        EcsTaskTrust.allows(
                                "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
                                        + "[\"ec2.amazonaws.com\",\"ecs-tasks.amazonaws.com\"]},\"Action\":[\"sts:TagSession\",\"sts:AssumeRole\"]}}"))
                .isTrue();
    }

    @Test
    void otherServicesDenyStatementsOtherActionsAndGarbageAreNotAssumableByEcsTasks() {
        assertThat(EcsTaskTrust.allows(ECS_TASKS.replace("ecs-tasks", "lambda")))
                .isFalse();
        assertThat(EcsTaskTrust.allows(ECS_TASKS.replace("Allow", "Deny"))).isFalse();
        assertThat(EcsTaskTrust.allows(ECS_TASKS.replace("sts:AssumeRole", "sts:AssumeRoleWithWebIdentity")))
                .isFalse();
        assertThat(EcsTaskTrust.allows("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                        + "\"arn:aws:iam::1:root\"},\"Action\":\"sts:AssumeRole\"}]}"))
                .isFalse();
        assertThat(EcsTaskTrust.allows("not json")).isFalse();
        assertThat(EcsTaskTrust.allows(null)).isFalse();
    }
}
