package org.opendelegate.delegate.aws;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.opendelegate.protocol.AwsTaskTypes;
import org.opendelegate.protocol.SignedStsRequest;
import org.opendelegate.spi.TaskContext;
import org.opendelegate.spi.TaskFailure;
import org.opendelegate.spi.TaskHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AWS task handlers and secret references, run in a class loader of their own ({@link AwsClassLoader}).
 *
 * <p>The AWS SDK is most of a busy delegate's memory: after AWS lookups some 7,000 more classes stay
 * loaded (metaspace and the symbol table, ~30 MiB), and the application class loader never unloads a
 * class. So the SDK is loaded in a loader of its own when an AWS task or an AWS secret reference first
 * needs it, and {@link #release} lets go of that loader once nothing uses it; the collection that
 * follows unloads the SDK. The next AWS task loads it again (about a second of class loading, as the
 * first AWS task after start pays today).
 *
 * <p>The AWS code itself is not in the delegate's jar but in a jar nested in it ({@link NestedAwsJar}), which
 * each generation opens and {@link #unload} closes: the AWS jar's central directory, a few MiB of heap, lives
 * only while AWS work runs. IAM registration signs its proof with the SDK too, so it goes through here
 * ({@link #signIdentityProof}).
 */
public final class AwsRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(AwsRuntime.class);
    private static final String HANDLERS = "org.opendelegate.tasks.aws.AwsTaskHandler";
    private static final String SECRETS = "org.opendelegate.tasks.aws.AwsSecretReferences";
    private static final String IDENTITY_PROOF = "org.opendelegate.tasks.aws.StsIdentityProof";

    private final Duration ecsPollInterval;
    private final Supplier<AwsClassLoader> loaders;
    private Generation current;
    private int inUse;

    /** One loaded copy of the AWS code: its loader, its handlers by type, and its secret resolver. */
    private record Generation(AwsClassLoader loader, Map<String, TaskHandler> handlers, Method resolveSecret) {}

    /**
     * @param ecsPollInterval how often an ECS deployment asks for its service's state
     * @param workDir the delegate's work directory, where each generation copies the AWS jar out to
     */
    public AwsRuntime(Duration ecsPollInterval, Path workDir) {
        this(ecsPollInterval, () -> {
            ClassLoader delegate = AwsRuntime.class.getClassLoader();
            return new AwsClassLoader(NestedAwsJar.open(delegate, workDir), delegate);
        });
    }

    AwsRuntime(Duration ecsPollInterval, Supplier<AwsClassLoader> loaders) {
        this.ecsPollInterval = ecsPollInterval;
        this.loaders = loaders;
    }

    /**
     * One handler per AWS task type (the lookups and the ECS deployment); each runs its task with the AWS
     * code of the current generation. Naming the types loads no AWS class.
     */
    public List<TaskHandler> handlers() {
        List<TaskHandler> handlers = new ArrayList<>();
        for (String type : AwsTaskTypes.ALL) {
            handlers.add(new IsolatedAwsHandler(type, this));
        }
        handlers.add(new IsolatedAwsHandler(AwsTaskTypes.ECS_DEPLOY, this));
        return List.copyOf(handlers);
    }

    /** Resolves an {@code aws-secretsmanager:} or {@code aws-ssm:} reference with the current generation. */
    public String resolveSecret(String reference, Instant deadline) throws TaskFailure, InterruptedException {
        Generation generation = acquire();
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(generation.loader());
        try {
            return (String) generation.resolveSecret().invoke(null, reference, deadline);
        } catch (InvocationTargetException e) {
            throw rethrow(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot call " + SECRETS, e);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
            release();
        }
    }

    /**
     * A fresh AWS identity proof for IAM registration ({@code StsIdentityProof} in the AWS code), signed
     * with the delegate's own AWS credentials.
     *
     * @param managerName what names the Manager: {@code MANAGER_ID}, or the origin of {@code MANAGER_URL}
     * @param env the process environment (for the STS endpoint)
     * @throws IllegalStateException with a readable message if AWS is not set up
     */
    public SignedStsRequest signIdentityProof(String managerName, Map<String, String> env) {
        Generation generation = acquire();
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(generation.loader());
        try {
            Object proof = Class.forName(IDENTITY_PROOF, true, generation.loader())
                    .getConstructor(String.class, Map.class)
                    .newInstance(managerName, env);
            return (SignedStsRequest) proof.getClass().getMethod("sign").invoke(proof);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("cannot sign the AWS identity proof", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot call " + IDENTITY_PROOF, e);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
            release();
        }
    }

    /** Whether the AWS code is loaded now. */
    public synchronized boolean loaded() {
        return current != null;
    }

    /**
     * Lets go of the loaded AWS code if no task uses it, so that the next full collection unloads it, and
     * closes the AWS jar it was loaded from.
     *
     * @return true when a generation was let go
     */
    public synchronized boolean unload() {
        if (current == null || inUse > 0) {
            return false;
        }
        close(current.loader());
        current = null;
        LOG.debug("Let go of the AWS SDK's classes; the next AWS task loads them again");
        return true;
    }

    /** Runs a task of an AWS type with the handler of the current generation, loading one if need be. */
    JsonNode run(String type, TaskContext context) throws Exception {
        Generation generation = acquire();
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        // The SDK finds its service providers (HTTP client, interceptors) through the context class loader.
        Thread.currentThread().setContextClassLoader(generation.loader());
        try {
            TaskHandler handler = generation.handlers().get(type);
            if (handler == null) {
                throw TaskFailure.task("this delegate's AWS code has no handler for " + type);
            }
            return handler.run(context);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
            release();
        }
    }

    private synchronized Generation acquire() {
        if (current == null) {
            current = load();
        }
        inUse++;
        return current;
    }

    private synchronized void release() {
        inUse--;
    }

    @SuppressWarnings("unchecked")
    private Generation load() {
        AwsClassLoader loader = loaders.get();
        try {
            List<TaskHandler> all = (List<TaskHandler>) Class.forName(HANDLERS, true, loader)
                    .getMethod("all", Duration.class)
                    .invoke(null, ecsPollInterval);
            Map<String, TaskHandler> byType = new HashMap<>();
            all.forEach(handler -> byType.put(handler.type(), handler));
            Method resolve = Class.forName(SECRETS, true, loader).getMethod("resolve", String.class, Instant.class);
            return new Generation(loader, Map.copyOf(byType), resolve);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            close(loader);
            throw new IllegalStateException("cannot load the AWS task code from the delegate's AWS jar", e);
        }
    }

    private static void close(AwsClassLoader loader) {
        try {
            loader.close();
        } catch (IOException e) {
            // Only the jar's file handle is at stake, and the JDK's cleaner closes it with the loader.
            LOG.warn("Could not close the delegate's AWS jar: {}", e.toString());
        }
    }

    private static RuntimeException rethrow(Throwable cause) throws TaskFailure, InterruptedException {
        if (cause instanceof TaskFailure failure) {
            throw failure;
        }
        if (cause instanceof InterruptedException interrupted) {
            throw interrupted;
        }
        if (cause instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new IllegalStateException(cause);
    }
}
