package org.opendelegate.delegate.script;

import java.time.Instant;
import org.opendelegate.spi.TaskFailure;

/**
 * Resolves the secret references a delegate resolves itself ({@code aws-secretsmanager:}, {@code aws-ssm:}),
 * with its own identity. The composition root wires the AWS one; tests pass their own.
 */
@FunctionalInterface
public interface SecretReferenceResolver {

    /**
     * The value a reference names.
     *
     * @param deadline the task's deadline, which no call may outlive
     * @throws TaskFailure naming the reference and why it did not resolve (never a value)
     */
    String resolve(String reference, Instant deadline) throws TaskFailure, InterruptedException;
}
