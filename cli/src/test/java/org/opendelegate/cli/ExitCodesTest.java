package org.opendelegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.opendelegate.protocol.ProtocolJson;

class ExitCodesTest {

    @Test
    void aScriptsOwnExitCodePassesThrough() throws Exception {
        assertThat(ExitCodes.of(task("{\"state\":\"FAILED\",\"result\":{\"exitCode\":3}}")))
                .isEqualTo(3);
        assertThat(ExitCodes.of(task("{\"state\":\"FAILED\",\"result\":{\"exitCode\":255}}")))
                .isEqualTo(255);
        assertThat(ExitCodes.of(task("{\"state\":\"SUCCEEDED\",\"result\":{\"exitCode\":0}}")))
                .isZero();
    }

    @Test
    void everyWayATaskEndsWithoutAnExitCodeHasItsOwnCode() throws Exception {
        assertThat(ExitCodes.of(task("{\"state\":\"FAILED\",\"error\":{\"message\":\"lost\"}}")))
                .isEqualTo(ExitCodes.FAILED);
        // A script that exited 0 but wrote malformed outputs failed: not success.
        assertThat(ExitCodes.of(task("{\"state\":\"FAILED\",\"result\":{\"exitCode\":0}}")))
                .isEqualTo(ExitCodes.FAILED);
        assertThat(ExitCodes.of(task("{\"state\":\"TIMED_OUT\"}"))).isEqualTo(124);
        assertThat(ExitCodes.of(task("{\"state\":\"CANCELLED\"}"))).isEqualTo(130);
        assertThat(ExitCodes.of(task("{\"state\":\"NOT_ASSIGNED\"}"))).isEqualTo(69);
    }

    @Test
    void httpRefusalsMapToPermissionAvailabilityOrBadInput() {
        assertThat(ExitCodes.ofStatus(401)).isEqualTo(ExitCodes.NOT_ALLOWED);
        assertThat(ExitCodes.ofStatus(403)).isEqualTo(ExitCodes.NOT_ALLOWED);
        assertThat(ExitCodes.ofStatus(429)).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(ExitCodes.ofStatus(503)).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(ExitCodes.ofStatus(422)).isEqualTo(ExitCodes.REFUSED);
        assertThat(ExitCodes.ofStatus(404)).isEqualTo(ExitCodes.REFUSED);
    }

    private static JsonNode task(String json) throws Exception {
        return ProtocolJson.mapper().readTree(json);
    }
}
