package org.opendelegate.manager.deployments;

import java.util.concurrent.CompletableFuture;
import org.opendelegate.manager.security.Principal;

/**
 * ECS deployments through delegates: what people submit, follow, roll back and cancel (the API and the console
 * both come here). A deployment runs as one {@code aws.ecs.deploy} task of its cloud provider; its step
 * timeline comes from the task's checkpoints and its end from the task's end. One active deployment per
 * account, provider, region, cluster and service.
 */
@SuppressWarnings("DoNotCallSuggester") // the bodies are stubs for a few commits
public final class Deployments {
    /** The wait for a steady state when the request sets none. */
    public static final int DEFAULT_STEADY_STATE_TIMEOUT_SECONDS = 600;
    /** A resumable deployment may move to another delegate twice. */
    public static final int MAX_ATTEMPTS = 3;
    /** A list page's size when the request sets none, and the most it may ask for. */
    public static final int DEFAULT_LIMIT = 50;

    public static final int MAX_LIMIT = 500;

    /**
     * Submits a deployment (or, with {@code dryRun}, a preview). Answers at once, QUEUED.
     *
     * @throws org.opendelegate.manager.problems.DomainProblem 400 naming the field for bad input, 422
     *     UNKNOWN_SECRET for a {@code secret:} variable that does not exist, 409 DEPLOYMENT_IN_PROGRESS naming the
     *     active deployment of the same service, 403 for a viewer
     */
    public DeploymentView submit(Principal principal, DeploymentRequest request) {
        throw new UnsupportedOperationException("not yet");
    }

    /** A dry run of the request (its {@code dryRun} is ignored): what would change, changing nothing. */
    public DeploymentView preview(Principal principal, DeploymentRequest request) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * The account's deployments, newest first, a page at a time.
     *
     * @param limit 1 to {@link #MAX_LIMIT}; null for {@link #DEFAULT_LIMIT}
     * @param cursor the {@code nextCursor} of the previous page, or null for the first
     */
    public DeploymentList list(String accountId, DeploymentFilter filter, Integer limit, String cursor) {
        throw new UnsupportedOperationException("not yet");
    }

    /** One deployment with its steps, diff and result; 404 when the account has no such deployment. */
    public DeploymentView get(String accountId, String id) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Completes with the deployment once it ended (a preview's diff, say), or as it is when its time ran out. */
    public CompletableFuture<DeploymentView> awaitEnd(String accountId, String id) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Deploys again the task definition (and count) that was live before the given deployment, as a new
     * deployment with {@code rollbackOf} set; 409 NOTHING_TO_ROLL_BACK when that deployment recorded none.
     */
    public DeploymentView rollback(Principal principal, String id) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Cancels an active deployment (its task); 409 DEPLOYMENT_ENDED when it already ended. */
    public DeploymentView cancel(Principal principal, String id) {
        throw new UnsupportedOperationException("not yet");
    }
}
