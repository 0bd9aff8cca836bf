package org.opendelegate.delegate.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendelegate.protocol.AwsTaskTypes;
import org.opendelegate.protocol.SignedStsRequest;
import org.opendelegate.spi.TaskContext;
import org.opendelegate.spi.TaskFailure;
import org.opendelegate.spi.TaskHandler;

/**
 * The AWS code runs in a class loader of its own, which reads the AWS jar nested in the delegate's jar
 * (here: the same jar, which the build copies into the delegate's classes) and which the runtime lets go of
 * once no task uses it, so that the JVM can unload the AWS SDK and drop the AWS jar. No AWS call is made: a
 * task without a valid region fails in the AWS code's own input check, which is enough to load it.
 */
class AwsRuntimeTest {
    private static final JsonNode NO_REGION =
            JsonNodeFactory.instance.objectNode().put("region", "nowhere");

    /** The loaders the runtime made, held weakly so that the test does not keep them alive. */
    private final List<WeakReference<ClassLoader>> loaders = new CopyOnWriteArrayList<>();

    @TempDir
    Path workDir;

    private final AwsRuntime runtime = new AwsRuntime(Duration.ofSeconds(5), () -> {
        ClassLoader delegate = AwsRuntimeTest.class.getClassLoader();
        AwsClassLoader loader = new AwsClassLoader(NestedAwsJar.open(delegate, workDir), delegate);
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

    @Test
    void theAwsCodeComesFromTheNestedAwsJarAndNoCopyIsLeftInTheWorkDirectory() throws Exception {
        assertThatThrownBy(() -> handler(AwsTaskTypes.REGIONS).run(new Context(NO_REGION, null)))
                .isInstanceOf(TaskFailure.class);

        AwsClassLoader loader = (AwsClassLoader) loaders.get(0).get();
        assertThat(loader.getResource("org/opendelegate/tasks/aws/AwsTaskInput.class")
                        .getProtocol())
                .isEqualTo("opendelegate-aws");
        // The SDK's own resources (its HTTP client's service file) come from the AWS jar, once.
        assertThat(Collections.list(
                        loader.getResources("META-INF/services/software.amazon.awssdk.http.SdkHttpService")))
                .hasSize(1)
                .allMatch(url -> url.getProtocol().equals("opendelegate-aws"));
        try (var listed = Files.list(workDir)) {
            assertThat(listed).as("the copy is deleted once open").isEmpty();
        }
    }

    @Test
    void unloadingClosesTheAwsJarSoTheUnloadedCodeCannotLoadMoreClasses() {
        assertThatThrownBy(() -> handler(AwsTaskTypes.REGIONS).run(new Context(NO_REGION, null)))
                .isInstanceOf(TaskFailure.class);
        AwsClassLoader loader = (AwsClassLoader) loaders.get(0).get();

        assertThat(runtime.unload()).isTrue();

        assertThatThrownBy(() -> loader.loadClass("software.amazon.awssdk.services.ecs.EcsClient"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the delegate's AWS code was unloaded");
    }

    @Test
    void iamRegistrationSignsItsProofWithTheRuntimesAwsCode() {
        System.setProperty("aws.accessKeyId", "AKIAIOSFODNN7EXAMPLE");
        System.setProperty("aws.secretAccessKey", "testing");
        System.setProperty("aws.region", "eu-west-1");
        try {
            SignedStsRequest proof = runtime.signIdentityProof("manager-a", Map.of());

            assertThat(proof.headers()).containsEntry(SignedStsRequest.MANAGER_ID_HEADER, "manager-a");
            assertThat(proof.headers().get("Authorization"))
                    .startsWith("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/");
            assertThat(loaders).hasSize(1);
            assertThat(runtime.unload())
                    .as("nothing holds the loader after signing")
                    .isTrue();
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
            System.clearProperty("aws.region");
        }
    }

    @Test
    void aDelegateJarWithoutTheAwsJarSaysSo() {
        ClassLoader empty = new ClassLoader(null) {};

        assertThatThrownBy(() -> NestedAwsJar.open(empty, workDir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("has no aws/opendelegate-aws.jar");
    }

    @Test
    void aBrokenAwsJarIsRefusedAndItsCopyDeleted() throws IOException {
        Path broken = Files.createDirectories(workDir.resolve("broken").resolve("aws"));
        Files.writeString(broken.resolve("opendelegate-aws.jar"), "not a jar");
        Path copies = Files.createDirectories(workDir.resolve("copies"));
        ClassLoader withBrokenJar =
                new URLClassLoader(new URL[] {broken.getParent().toUri().toURL()}, null);

        assertThatThrownBy(() -> NestedAwsJar.open(withBrokenJar, copies))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is not a readable jar");
        try (var listed = Files.list(copies)) {
            assertThat(listed).isEmpty();
        }
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
