package org.opendelegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.opendelegate.protocol.ProtocolJson;

class TaskSummaryTest {
    private static final String TASK = "{\"id\":\"t-1\",\"state\":\"FAILED\",\"delegateName\":\"d-1\","
            + "\"result\":{\"exitCode\":4,\"outputs\":{\"URL\":\"https://x\"},\"durationMillis\":12},"
            + "\"error\":{\"kind\":\"TASK\",\"message\":\"exited with code 4\"}}";

    @Test
    void textGoesToStandardErrorSoStandardOutputKeepsOnlyTheScriptsOwnLines() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        new TaskSummary(ProtocolJson.mapper().readTree(TASK)).print(false, print(out), print(err));
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("task t-1 FAILED on d-1, exit code 4: exited with code 4")
                .contains("outputs:")
                .contains("URL=https://x");
    }

    @Test
    void jsonIsOneDocumentAPipelineReads() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new TaskSummary(ProtocolJson.mapper().readTree(TASK))
                .print(true, print(out), print(new ByteArrayOutputStream()));
        var doc = ProtocolJson.mapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(doc.get("taskId").asText()).isEqualTo("t-1");
        assertThat(doc.get("exitCode").asInt()).isEqualTo(4);
        assertThat(doc.get("exitStatus").asInt()).isEqualTo(4);
        assertThat(doc.get("outputs").get("URL").asText()).isEqualTo("https://x");
        assertThat(doc.get("error").asText()).isEqualTo("exited with code 4");
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
