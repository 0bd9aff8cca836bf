package org.opendelegate.tasks.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opendelegate.protocol.AwsTaskTypes;
import org.opendelegate.spi.TaskHandler;

/** The table of AWS task types: every type the protocol names has a handler and the lookup it promises. */
class AwsTaskHandlerTest {

    @Test
    void thereIsOneHandlerForEachAwsTaskTypeInTheProtocolsOrderThenTheEcsDeployment() {
        List<String> expected = new java.util.ArrayList<>(AwsTaskTypes.ALL);
        expected.add(AwsTaskTypes.ECS_DEPLOY);
        assertThat(AwsTaskHandler.all()).extracting(TaskHandler::type).containsExactlyElementsOf(expected);
    }

    @Test
    void eachTaskTypeRunsTheLookupOfItsName() {
        Map<String, Class<?>> expected = Map.of(
                AwsTaskTypes.TEST_CONNECTION, TestConnectionLookup.class,
                AwsTaskTypes.REGIONS, RegionsLookup.class,
                AwsTaskTypes.ECS_CLUSTERS, EcsClustersLookup.class,
                AwsTaskTypes.ECS_SERVICES, EcsServicesLookup.class,
                AwsTaskTypes.VPCS, VpcsLookup.class,
                AwsTaskTypes.SUBNETS, SubnetsLookup.class,
                AwsTaskTypes.SECURITY_GROUPS, SecurityGroupsLookup.class,
                AwsTaskTypes.IAM_ROLES, IamRolesLookup.class);

        assertThat(expected.keySet()).containsExactlyInAnyOrderElementsOf(AwsTaskTypes.ALL);
        expected.forEach((type, lookup) ->
                assertThat(AwsTaskHandler.lookupFor(type)).as(type).isInstanceOf(lookup));
    }

    @Test
    void aTypeThatIsNotAnAwsTaskTypeHasNoHandler() {
        for (String type : List.of("echo", "aws.unknown", "")) {
            assertThatThrownBy(() -> AwsTaskHandler.of(type)).hasMessageContaining("not an AWS task type");
        }
    }
}
