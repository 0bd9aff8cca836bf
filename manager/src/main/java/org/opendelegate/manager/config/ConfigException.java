package org.opendelegate.manager.config;

import java.util.List;

/** Thrown when the Manager's configuration is invalid; carries one line per problem. */
public final class ConfigException extends RuntimeException {
    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    /** One line per problem, each naming the setting, what is wrong and what to do. */
    public List<String> problems() {
        return problems;
    }
}
