package org.opendelegate.tasks.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.opendelegate.protocol.AwsTaskTypes;
import org.opendelegate.spi.TaskContext;
import org.opendelegate.spi.TaskFailure;
import org.opendelegate.spi.TaskHandler;

/**
 * Runs one of the AWS task types ({@link AwsTaskTypes}). Every one does the same around its own calls:
 * read the input, open a session (learn who it acts as, assume the cross-account role), run the lookup
 * its type names, and return the lookup's result with the acting principal and the calls made.
 *
 * <p>A handler only names its task type: the lookup, and with it the AWS SDK, is loaded when a task of
 * that type first runs, so an idle delegate never loads an SDK class.
 */
public final class AwsTaskHandler implements TaskHandler {
    private final String type;

    private AwsTaskHandler(String type) {
        this.type = type;
    }

    /** One handler for each AWS lookup, and the ECS deployment handler polling at the default 5 s. */
    public static List<TaskHandler> all() {
        return all(Duration.ofSeconds(5));
    }

    /**
     * One handler for each AWS lookup, and the ECS deployment handler.
     *
     * @param ecsPollInterval how often a deployment asks for its service's state
     */
    public static List<TaskHandler> all(Duration ecsPollInterval) {
        List<TaskHandler> handlers = new ArrayList<>();
        for (String type : AwsTaskTypes.ALL) {
            handlers.add(of(type));
        }
        handlers.add(new EcsDeployHandler(ecsPollInterval));
        return List.copyOf(handlers);
    }

    /** The handler of one AWS task type. */
    static AwsTaskHandler of(String type) {
        if (!AwsTaskTypes.ALL.contains(type)) {
            throw new IllegalArgumentException("not an AWS task type: " + type);
        }
        return new AwsTaskHandler(type);
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public JsonNode run(TaskContext context) throws TaskFailure, InterruptedException {
        AwsTaskInput input = AwsTaskInput.of(context.payload());
        try (AwsSession session = AwsSession.open(context, input)) {
            ObjectNode result = JsonNodeFactory.instance.objectNode();
            lookupFor(type).run(session, context.payload(), result);
            result.put("region", input.region());
            result.put("principal", session.principal());
            result.put("account", session.account());
            result.set("calls", session.calls());
            return result;
        }
    }

    /**
     * The table of task type to the lookup that does its work. A switch rather than a map of
     * constructors, so that no lookup class (each refers to the SDK) is loaded before it runs.
     */
    static AwsLookup lookupFor(String type) {
        return switch (type) {
            case AwsTaskTypes.TEST_CONNECTION -> new TestConnectionLookup();
            case AwsTaskTypes.REGIONS -> new RegionsLookup();
            case AwsTaskTypes.ECS_CLUSTERS -> new EcsClustersLookup();
            case AwsTaskTypes.ECS_SERVICES -> new EcsServicesLookup();
            case AwsTaskTypes.VPCS -> new VpcsLookup();
            case AwsTaskTypes.SUBNETS -> new SubnetsLookup();
            case AwsTaskTypes.SECURITY_GROUPS -> new SecurityGroupsLookup();
            case AwsTaskTypes.IAM_ROLES -> new IamRolesLookup();
            default -> throw new IllegalArgumentException("not an AWS task type: " + type);
        };
    }
}
