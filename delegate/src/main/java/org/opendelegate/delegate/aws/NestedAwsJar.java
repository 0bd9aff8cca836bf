package org.opendelegate.delegate.aws;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The AWS jar the build nests in the delegate's jar ({@value #RESOURCE}): {@code tasks-aws}, the AWS SDK and
 * what only the SDK uses. The delegate's own jar keeps to what it needs to start, so the JDK holds only a
 * small central directory in the heap for the process's life; the AWS jar's (~14,000 entries) is read only
 * when AWS work starts and dropped when {@link AwsRuntime} lets go of the AWS code.
 *
 * <p>A jar nested in a jar cannot be opened as a {@link ZipFile}, so {@link #open} copies it out into the
 * delegate's work directory (which it must be able to write: scripts run there), opens the copy, and
 * deletes the file at once: the open file stays readable and nothing is left behind, even if the process
 * is killed. Every load copies afresh, so a stale or half-written copy is never used; a copy whose length
 * is not the nested entry's is refused.
 */
final class NestedAwsJar {
    /** Where the build puts the AWS jar inside the delegate's jar (see delegate/pom.xml). */
    static final String RESOURCE = "aws/opendelegate-aws.jar";

    private NestedAwsJar() {}

    /**
     * Copies the AWS jar out of {@code from}'s resources into {@code workDir} and opens it.
     *
     * @throws IllegalStateException if the delegate's jar has no AWS jar, or it cannot be copied
     */
    static ZipFile open(ClassLoader from, Path workDir) {
        URL nested = from.getResource(RESOURCE);
        if (nested == null) {
            throw new IllegalStateException("the delegate's jar has no " + RESOURCE
                    + ", so it cannot run AWS tasks; build it with `mvn -B package` from the repository root");
        }
        Path copy = null;
        try {
            Files.createDirectories(workDir);
            copy = Files.createTempFile(workDir, "opendelegate-aws-", ".jar");
            copyOut(nested, copy);
            return new ZipFile(copy.toFile());
        } catch (ZipException e) {
            throw new IllegalStateException(
                    "the AWS jar copied out of the delegate's jar to " + copy + " is not a readable jar ("
                            + e.getMessage() + ")",
                    e);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot copy the AWS jar out of the delegate's jar into " + workDir + " (DELEGATE_WORK_DIR): "
                            + e.getMessage(),
                    e);
        } finally {
            deleteQuietly(copy);
        }
    }

    private static void copyOut(URL nested, Path copy) throws IOException {
        URLConnection connection = nested.openConnection();
        // Without this the JDK would keep the delegate's jar open a second time, in its URL cache, for good.
        connection.setUseCaches(false);
        long expected = connection.getContentLengthLong();
        long copied;
        try (InputStream in = connection.getInputStream();
                OutputStream out = Files.newOutputStream(copy)) {
            copied = in.transferTo(out);
        }
        if (expected >= 0 && copied != expected) {
            throw new IOException("copied " + copied + " bytes of " + RESOURCE + ", which has " + expected);
        }
    }

    private static void deleteQuietly(Path copy) {
        if (copy == null) {
            return;
        }
        try {
            // An open ZipFile keeps reading a deleted file; after a failure, the partial copy goes too.
            Files.deleteIfExists(copy);
        } catch (IOException e) {
            // A copy that cannot be deleted is never read again: every load copies to a new file.
            copy.toFile().deleteOnExit();
        }
    }
}
