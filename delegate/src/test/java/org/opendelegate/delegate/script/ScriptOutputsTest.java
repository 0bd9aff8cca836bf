package org.opendelegate.delegate.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendelegate.spi.TaskFailure;

class ScriptOutputsTest {
    @TempDir
    Path dir;

    @Test
    void singleLineAndMultiLineValuesAreRead() throws Exception {
        var outputs = ScriptOutputs.parse(
                "VERSION=1.2.3\nEMPTY=\nURL=https://x?a=b\n\nNOTES<<EOF\nfirst\n\nthird\nEOF\nLAST=x\n");
        assertThat(outputs)
                .containsExactly(
                        java.util.Map.entry("VERSION", "1.2.3"),
                        java.util.Map.entry("EMPTY", ""),
                        java.util.Map.entry("URL", "https://x?a=b"),
                        java.util.Map.entry("NOTES", "first\n\nthird"),
                        java.util.Map.entry("LAST", "x"));
    }

    @Test
    void aNameWrittenTwiceKeepsItsLastValueAndCrLfIsAccepted() throws Exception {
        assertThat(ScriptOutputs.parse("A=1\r\nA=2\r\n"))
                .containsEntry("A", "2")
                .hasSize(1);
    }

    @Test
    void anEqualsSignBeforeTheHeredocMarkerMakesASingleLineValue() throws Exception {
        assertThat(ScriptOutputs.parse("A=b<<c\n")).containsEntry("A", "b<<c");
    }

    @Test
    void malformedLinesAreRefusedNamingTheLine() {
        assertThatThrownBy(() -> ScriptOutputs.parse("A=1\njust text\n"))
                .isInstanceOf(TaskFailure.class)
                .hasMessage("line 2 of the outputs file ($OPENDELEGATE_OUTPUT) is neither NAME=value nor"
                        + " NAME<<DELIMITER");
        assertThatThrownBy(() -> ScriptOutputs.parse("1BAD=x\n"))
                .hasMessageContaining("line 1 ")
                .hasMessageContaining("invalid output");
        assertThatThrownBy(() -> ScriptOutputs.parse("A-B=x\n")).hasMessageContaining("invalid output");
        assertThatThrownBy(() -> ScriptOutputs.parse("A=1\nB<<EOF\nnever closed\n"))
                .hasMessageContaining("line 2 ")
                .hasMessageContaining("no line after it is the delimiter");
        assertThatThrownBy(() -> ScriptOutputs.parse("B<<\n")).hasMessageContaining("without a delimiter");
    }

    @Test
    void aMissingFileMeansNoOutputs() throws Exception {
        assertThat(ScriptOutputs.read(dir.resolve("none"))).isEmpty();
    }

    @Test
    void exactlyTheLimitIsAcceptedAndOneByteMoreIsRefusedNamingTheLine() throws Exception {
        String line = "A=" + "x".repeat(1021) + "\n"; // 1024 bytes
        Path file = dir.resolve("outputs");
        Files.writeString(file, line.repeat(512));
        assertThat(Files.size(file)).isEqualTo(ScriptOutputs.MAX_BYTES);
        assertThat(ScriptOutputs.read(file)).containsKey("A");

        Files.writeString(file, line.repeat(512) + "B=1\n");
        assertThatThrownBy(() -> ScriptOutputs.read(file))
                .isInstanceOf(TaskFailure.class)
                .hasMessageContaining("over the limit of 512 KiB at line 513");
    }
}
