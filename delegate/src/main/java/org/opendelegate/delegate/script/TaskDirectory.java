package org.opendelegate.delegate.script;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A script task's own directory, fresh for each run and removed afterwards:
 * {@code <DELEGATE_WORK_DIR>/tasks/<task id>-<random>/} holding {@code script.sh}, the outputs file and
 * {@code work/}, where the script runs. The script and the outputs file sit beside the working directory,
 * not in it, so a script that cleans its directory cannot remove them.
 */
final class TaskDirectory implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TaskDirectory.class);

    private final Path root;

    private TaskDirectory(Path root) {
        this.root = root;
    }

    static TaskDirectory create(Path workDir, String taskId) throws IOException {
        Path tasks = Files.createDirectories(workDir.resolve("tasks"));
        Path root = Files.createTempDirectory(tasks, safe(taskId) + "-");
        Files.createDirectory(root.resolve("work"));
        return new TaskDirectory(root);
    }

    Path script() {
        return root.resolve("script.sh");
    }

    Path outputs() {
        return root.resolve("outputs");
    }

    Path work() {
        return root.resolve("work");
    }

    /** Removes the directory and everything in it, without following links out of it. */
    @Override
    public void close() {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    // A script may have made its directories read-only; their entries must still go.
                    dir.toFile().setWritable(true, true);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warn("Cannot remove the task directory {} ({}); remove it by hand", root, e.toString());
        }
    }

    /** A task id as a directory name: ids are generated, but they come from the network. */
    static String safe(String id) {
        String cleaned = id.replaceAll("[^A-Za-z0-9_-]", "_");
        return cleaned.length() > 64 ? cleaned.substring(0, 64) : cleaned;
    }
}
