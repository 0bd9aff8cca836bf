package org.opendelegate.delegate.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opendelegate.protocol.ErrorKind;
import org.opendelegate.spi.TaskContext;
import org.opendelegate.spi.TaskFailure;

class BuiltInHandlersTest {

    /** A context with a payload that records log lines. */
    record Context(JsonNode payload, List<String> lines) implements TaskContext {
        Context(JsonNode payload) {
            this(payload, new ArrayList<>());
        }

        @Override
        public String taskId() {
            return "t-1";
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
        public Instant deadline() {
            return Instant.MAX;
        }

        @Override
        public void log(String line) {
            lines.add(line);
        }

        @Override
        public boolean isCancelled() {
            return false;
        }
    }

    @Test
    void echoReturnsItsPayload() throws Exception {
        JsonNode payload =
                JsonNodeFactory.instance.objectNode().put("a", 1).set("b", JsonNodeFactory.instance.arrayNode());

        assertThat(new EchoHandler().run(new Context(payload))).isEqualTo(payload);
        assertThat(new EchoHandler().type()).isEqualTo("echo");
    }

    @Test
    void sleepWaitsTheSecondsAskedForAndLogsBeforeAndAfter() throws Exception {
        List<Duration> slept = new ArrayList<>();
        Context context = new Context(JsonNodeFactory.instance.objectNode().put("seconds", 2.5));

        JsonNode result = new SleepHandler(slept::add).run(context);

        assertThat(slept).containsExactly(Duration.ofMillis(2500));
        assertThat(context.lines()).containsExactly("Sleeping for 2.5 s", "Slept 2.5 s");
        assertThat(result.path("sleptSeconds").asDouble()).isEqualTo(2.5);
    }

    @Test
    void sleepRefusesMissingZeroNegativeTooLongAndNonNumericSeconds() {
        SleepHandler sleep = new SleepHandler(d -> {});
        for (String payload : new String[] {
            "{}", "{\"seconds\":0}", "{\"seconds\":-3}", "{\"seconds\":86401}", "{\"seconds\":\"ten\"}"
        }) {
            assertThatThrownBy(() ->
                            sleep.run(new Context(new com.fasterxml.jackson.databind.ObjectMapper().readTree(payload))))
                    .as(payload)
                    .isInstanceOfSatisfying(
                            TaskFailure.class, f -> assertThat(f.kind()).isEqualTo(ErrorKind.TASK))
                    .hasMessageContaining("sleep");
        }
    }

    @Test
    void sleepStopsWhenInterrupted() {
        SleepHandler sleep = new SleepHandler(d -> {
            throw new InterruptedException("cancelled");
        });

        assertThatThrownBy(() -> sleep.run(
                        new Context(JsonNodeFactory.instance.objectNode().put("seconds", 86_400))))
                .isInstanceOf(InterruptedException.class);
    }
}
