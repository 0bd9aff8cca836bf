package org.opendelegate.delegate.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.opendelegate.protocol.AwsTaskTypes;
import org.opendelegate.spi.TaskContext;
import org.opendelegate.spi.TaskFailure;
import org.opendelegate.spi.TaskHandler;

/**
 * The AWS code runs in a class loader of its own, which the runtime lets go of once no task uses it, so
 * that the JVM can unload the AWS SDK. No AWS call is made: a task without a valid region fails in the
 * AWS code's own input check, which is enough to load it.
 */
class AwsRuntimeTest {
    private static final JsonNode NO_REGION =
            JsonNodeFactory.instance.objectNode().put("region", "nowhere");

    /** The loaders the runtime made, held weakly so that the test does not keep them alive. */
    private final List<WeakReference<ClassLoader>> loaders = new CopyOnWriteArrayList<>();

    private final AwsRuntime runtime = new AwsRuntime(Duration.ofSeconds(5), () -> {
        ClassLoader loader = new AwsClassLoader(AwsRuntimeTest.class.getClassLoader());
        loaders.add(new WeakReference<>(loader));
        return loader;
    });

    @Test
    void namingTheAwsTaskTypesLoadsNoAwsCode() {
        List<TaskHandler> handlers = runtime.handlers();

        assertThat(handlers.stream().map(TaskHandler::type).collect(Collectors.toList()))
                .containsAll(AwsTaskTypes.ALL)
                .contains(AwsTaskTypes.ECS_DEPLOY);
        assertThat(runtime.loaded()).isFalse();
        assertThat(loaders).isEmpty();
    }

    @Test
    void anAwsTaskRunsWithTheAwsCodeOfTheRuntimesOwnLoader() throws Exception {
        assertThatThrownBy(() -> handler(AwsTaskTypes.REGIONS).run(new Context(NO_REGION, null)))
                .isInstanceOf(TaskFailure.class)
                .hasMessageContaining("the task needs a region like \"us-east-1\"");

        assertThat(runtime.loaded()).isTrue();
        assertThat(loaders).hasSize(1);
        ClassLoader loader = loaders.get(0).get();
        Class<?> input = Class.forName("org.opendelegate.tasks.aws.AwsTaskInput", false, loader);
        assertThat(input.getClassLoader()).isSameAs(loader);
        assertThat(Class.forName(
                        "org.opendelegate.tasks.aws.AwsTaskInput",
                        false,
                        getClass().getClassLoader()))
                .isNotSameAs(input);
        // The task SPI is shared with the delegate: that is how a handler and its failures cross over.
        assertThat(Class.forName(TaskFailure.class.getName(), false, loader)).isSameAs(TaskFailure.class);
    }

    @Test
    void onceUnloadedTheLoaderIsCollectedAndTheNextTaskLoadsTheAwsCodeAgain() {
        assertThatThrownBy(() -> handler(AwsTaskTypes.VPCS).run(new Context(NO_REGION, null)))
                .isInstanceOf(TaskFailure.class);

        assertThat(runtime.unload()).isTrue();
        assertThat(runtime.loaded()).isFalse();
        WeakReference<ClassLoader> first = loaders.get(0);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            System.gc();
            return first.get() == null;
        });

        assertThatThrownBy(() -> handler(AwsTaskTypes.VPCS).run(new Context(NO_REGION, null)))
                .isInstanceOf(TaskFailure.class);
        assertThat(loaders).hasSize(2);
        assertThat(runtime.loaded()).isTrue();
    }

    @Test
    void aRunningTaskKeepsTheAwsCodeLoaded() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        Context blocking = new Context(NO_REGION, () -> {
            entered.countDown();
            proceed.await();
        });
        CompletableFuture<Throwable> task = CompletableFuture.supplyAsync(() -> {
            try {
                handler(AwsTaskTypes.SUBNETS).run(blocking);
                return null;
            } catch (Exception e) {
                return e;
            }
        });
        entered.await();

        assertThat(runtime.unload()).as("unload while a task runs").isFalse();
        assertThat(runtime.loaded()).isTrue();

        proceed.countDown();
        assertThat(task.get()).isInstanceOf(TaskFailure.class);
        assertThat(runtime.unload()).isTrue();
    }

    @Test
    void anAwsSecretReferenceResolvesWithTheRuntimesLoaderToo() {
        assertThatThrownBy(() -> runtime.resolveSecret("vault:db#password", Instant.MAX))
                .isInstanceOf(TaskFailure.class)
                .hasMessageContaining("is not an aws-secretsmanager: or aws-ssm: one");
        assertThat(loaders).hasSize(1);
        assertThat(runtime.unload())
                .as("nothing holds the loader after a resolution")
                .isTrue();
    }

    private TaskHandler handler(String type) {
        Map<String, TaskHandler> byType =
                runtime.handlers().stream().collect(Collectors.toMap(TaskHandler::type, h -> h));
        return byType.get(type);
    }

    /** Something a test runs when the task reads its payload. */
    private interface OnPayload {
        void run() throws InterruptedException;
    }

    private static final class Context implements TaskContext {
        private final JsonNode payload;
        private final OnPayload onPayload;

        Context(JsonNode payload, OnPayload onPayload) {
            this.payload = payload;
            this.onPayload = onPayload;
        }

        @Override
        public String taskId() {
            return "task-1";
        }

        @Override
        public int attempt() {
            return 1;
        }

        @Override
        public long fencingToken() {
            return 1;
        }

        @Override
        public JsonNode payload() {
            if (onPayload != null) {
                try {
                    onPayload.run();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return payload;
        }

        @Override
        public Instant deadline() {
            return Instant.MAX;
        }

        @Override
        public void log(String line) {}

        @Override
        public boolean isCancelled() {
            return false;
        }
    }
}
