package io.tessera.config;

import java.util.List;

/** Configuration is invalid; {@link #violations()} lists every problem as {@code path: message}. */
public class ConfigException extends Exception {
    private final List<String> violations;

    public ConfigException(List<String> violations) {
        super("TSR-0001: invalid configuration:\n  " + String.join("\n  ", violations));
        this.violations = List.copyOf(violations);
    }

    public List<String> violations() {
        return violations;
    }
}
