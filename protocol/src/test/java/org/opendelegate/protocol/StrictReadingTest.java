package org.opendelegate.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The protocol's reader refuses what a lenient reader would coerce or clean, and reads what is right. */
class StrictReadingTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"delegateId\":\"d\",\"sessionId\":\"s\",\"freeSlots\":\"10\"}",
                "{\"delegateId\":\"d\",\"sessionId\":\"s\",\"freeSlots\":1.5}",
                "{\"delegateId\":\"d\",\"sessionId\":\"s\",\"freeSlots\":true}",
                "{\"delegateId\":\"d\",\"sessionId\":\"s\",\"freeSlots\":\"\"}",
                "{\"delegateId\":true,\"sessionId\":\"s\",\"freeSlots\":1}",
                "{\"delegateId\":12,\"sessionId\":\"s\",\"freeSlots\":1}",
                "{\"delegateId\":1.5,\"sessionId\":\"s\",\"freeSlots\":1}",
                "{\"delegateId\":\"d\",\"delegateId\":\"e\",\"sessionId\":\"s\",\"freeSlots\":1}",
                "{\"delegateId\":\"d\\u0000\",\"sessionId\":\"s\",\"freeSlots\":1}",
                "{\"delegateId\":\"d\\u0007\",\"sessionId\":\"s\",\"freeSlots\":1}",
                "{\"delegateId\":\"\\ud800\",\"sessionId\":\"s\",\"freeSlots\":1}",
                "{\"delegateId\":\"x\\udc00y\",\"sessionId\":\"s\",\"freeSlots\":1}",
                "{\"delegateId\":\"d\",\"sessionId\":\"s\",\"freeSlots\":1"
                        + "0000000000000000000000000000000000000000000000000000000000000000000000}"
            })
    void aValueOfTheWrongKindIsRefused(String json) {
        assertThatThrownBy(() -> ProtocolJson.mapper().readValue(json, PollRequest.class))
                .isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void invalidUtf8IsRefused() {
        byte[] json = "{\"delegateId\":\"d?\",\"sessionId\":\"s\",\"freeSlots\":1}".getBytes(StandardCharsets.UTF_8);
        json[16] = (byte) 0xC3; // a lead byte followed by an ASCII quote
        assertThatThrownBy(() -> ProtocolJson.mapper().readValue(json, PollRequest.class))
                .isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void nestingDeeperThanTheLimitIsRefusedAndUpToItIsRead() throws Exception {
        assertThatThrownBy(() -> ProtocolJson.mapper().readTree(nested(ProtocolJson.MAX_DEPTH + 1)))
                .isInstanceOf(JsonProcessingException.class);
        JsonNode atLimit = ProtocolJson.mapper().readTree(nested(ProtocolJson.MAX_DEPTH));
        assertThat(atLimit.isArray()).isTrue();
    }

    @Test
    void aDelegateReadsAnAnswerThatWrapsAPayloadAtTheLimit() throws Exception {
        String answer = "{\"tasks\":[{\"payload\":" + nested(ProtocolJson.MAX_DEPTH) + "}]}";
        JsonNode read = ProtocolJson.tolerantReader().readTree(answer);
        assertThat(read.path("tasks").isArray()).isTrue();
    }

    @Test
    void rightValuesAndUnicodeAreRead() throws Exception {
        PollRequest poll = ProtocolJson.mapper()
                .readValue(
                        "{\"delegateId\":\"d-\\u00e9\\ud83d\\ude00\\ttab\",\"sessionId\":\"s\",\"freeSlots\":3}",
                        PollRequest.class);
        assertThat(poll.freeSlots()).isEqualTo(3);
        assertThat(poll.delegateId()).isEqualTo("d-\u00e9\ud83d\ude00\ttab");
    }

    @Test
    void aLogLineKeepsTheAnsiColoursAScriptPrinted() throws Exception {
        LogLine line = ProtocolJson.mapper()
                .readValue("{\"at\":\"2026-12-04T10:00:00Z\",\"text\":\"\\u001b[31mred\\u001b[0m\"}", LogLine.class);
        assertThat(line.text()).isEqualTo("\u001b[31mred\u001b[0m");
    }

    private static String nested(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }
}
