package org.opendelegate.delegate.script;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opendelegate.spi.TaskFailure;

/**
 * Reads the outputs a script appended to {@code $OPENDELEGATE_OUTPUT}, the way GitHub reads
 * {@code $GITHUB_OUTPUT}: {@code NAME=value} lines, and {@code NAME<<DELIMITER} … {@code DELIMITER} blocks
 * for multi-line values. Blank lines are skipped; a name written twice keeps its last value. At most
 * {@value #MAX_BYTES} bytes in all. Refusals say which line and never quote a value (it may be a secret).
 */
final class ScriptOutputs {
    static final int MAX_BYTES = 512 * 1024;

    private ScriptOutputs() {}

    /** The outputs in the file; none when the script wrote no file. */
    static Map<String, String> read(Path file) throws TaskFailure, IOException {
        if (!Files.isRegularFile(file)) {
            return new LinkedHashMap<>();
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        }
        if (bytes.length > MAX_BYTES) {
            throw TaskFailure.task("the outputs file ($OPENDELEGATE_OUTPUT) is over the limit of 512 KiB at line "
                    + lineAt(bytes, MAX_BYTES) + "; write large results to a file or an artifact store instead");
        }
        return parse(new String(bytes, StandardCharsets.UTF_8));
    }

    /** The outputs in {@code text}. */
    static Map<String, String> parse(String text) throws TaskFailure {
        List<String> lines = text.lines().toList();
        Map<String, String> outputs = new LinkedHashMap<>();
        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i);
            int number = i + 1;
            i++;
            if (line.isBlank()) {
                continue;
            }
            int equals = line.indexOf('=');
            int heredoc = line.indexOf("<<");
            if (equals < 0 && heredoc < 0) {
                throw malformed(number, "is neither NAME=value nor NAME<<DELIMITER");
            }
            boolean single = equals >= 0 && (heredoc < 0 || equals < heredoc);
            String name = line.substring(0, single ? equals : heredoc);
            if (!ScriptPayload.NAME.matcher(name).matches()) {
                throw malformed(
                        number, "names an invalid output: use letters, digits and '_', not starting with a digit");
            }
            if (single) {
                outputs.put(name, line.substring(equals + 1));
                continue;
            }
            String delimiter = line.substring(heredoc + 2);
            if (delimiter.isBlank()) {
                throw malformed(number, "starts a multi-line value without a delimiter after '<<'");
            }
            StringBuilder value = new StringBuilder();
            boolean closed = false;
            int start = i;
            while (i < lines.size()) {
                String next = lines.get(i++);
                if (next.equals(delimiter)) {
                    closed = true;
                    break;
                }
                value.append(i - 1 == start ? "" : "\n").append(next);
            }
            if (!closed) {
                throw malformed(
                        number,
                        "starts the multi-line value of " + name
                                + ", but no line after it is the delimiter that would end it");
            }
            outputs.put(name, value.toString());
        }
        return outputs;
    }

    private static TaskFailure malformed(int line, String what) {
        return TaskFailure.task("line " + line + " of the outputs file ($OPENDELEGATE_OUTPUT) " + what);
    }

    private static int lineAt(byte[] bytes, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (bytes[i] == '\n') {
                line++;
            }
        }
        return line;
    }
}
