package org.opendelegate.delegate.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.opendelegate.protocol.ProtocolJson;
import org.slf4j.MDC;

class DelegateLogConfiguratorTest {

    /** Logs one line through a fresh Logback context configured by the delegate; returns the output. */
    private static String logOneLine(boolean json) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(MDC.getMDCAdapter());
        try {
            DelegateLogConfigurator.configure(context, json);
            MDC.put("taskId", "t-1");
            context.getLogger("org.opendelegate.delegate.Example").info("Task {} ended {}", "t-1", "SUCCEEDED");
        } finally {
            MDC.clear();
            context.stop();
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void textLinesCarryTheLogContextAndTheFormattedMessage() {
        String line = logOneLine(false);

        assertThat(line).contains(" INFO  [", "] Example [taskId=t-1] - Task t-1 ended SUCCEEDED");
    }

    @Test
    void jsonLinesAreOneObjectWithTheFormattedMessage() throws Exception {
        String line = logOneLine(true).strip();

        JsonNode event = ProtocolJson.mapper().readTree(line);
        assertThat(line.lines()).hasSize(1);
        assertThat(event.path("level").asText()).isEqualTo("INFO");
        assertThat(event.path("formattedMessage").asText()).isEqualTo("Task t-1 ended SUCCEEDED");
        assertThat(event.path("mdc").path("taskId").asText()).isEqualTo("t-1");
        assertThat(event.has("arguments")).isFalse();
    }
}
