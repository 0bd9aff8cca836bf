package org.opendelegate.delegate.profile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Follows the file a script writes its output to and turns new bytes into lines. A file rather than a
 * pipe: a script may leave a background process running that keeps the pipe open forever, and a file
 * also stays on the host for whoever debugs the script there.
 */
final class OutputTail implements AutoCloseable {
    private final RandomAccessFile file;
    private final ProfileOutput output;
    private final Clock clock;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final byte[] buffer = new byte[8192];

    OutputTail(Path path, ProfileOutput output, Clock clock) throws IOException {
        this.file = new RandomAccessFile(path.toFile(), "r");
        this.output = output;
        this.clock = clock;
    }

    /** Reads what was written since the last call; complete lines go to the output. */
    void poll() throws IOException {
        int n;
        while ((n = file.read(buffer)) > 0) {
            for (int i = 0; i < n; i++) {
                if (buffer[i] == '\n') {
                    emit();
                } else {
                    partial.write(buffer[i]);
                }
            }
        }
    }

    /** Reads the rest, including a last line without a line break. */
    void finish() throws IOException {
        poll();
        if (partial.size() > 0) {
            emit();
        }
    }

    private void emit() {
        String line = partial.toString(StandardCharsets.UTF_8);
        partial.reset();
        output.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line, clock.instant());
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
