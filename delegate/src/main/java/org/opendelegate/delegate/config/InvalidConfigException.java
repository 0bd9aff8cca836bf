package org.opendelegate.delegate.config;

import java.util.List;

/**
 * The environment does not describe a runnable delegate. Carries every problem found, one line each, so
 * that a person fixing a task definition sees all of them at once instead of one per restart.
 */
public final class InvalidConfigException extends Exception {
    private final List<String> problems;

    InvalidConfigException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** One line per problem, each naming the variable, what is wrong and what to do. */
    public List<String> problems() {
        return problems;
    }
}
