package io.tessera.inference;

import java.nio.file.Path;
import java.util.List;

/** A model package that cannot be used; {@link #problems()} lists every problem found, each prefixed with its path. */
public final class ModelPackageException extends Exception {
    private final Path dir;
    private final List<String> problems;

    public ModelPackageException(Path dir, List<String> problems) {
        super("TSR-0301: invalid model package " + dir + ":\n  - " + String.join("\n  - ", problems));
        this.dir = dir;
        this.problems = List.copyOf(problems);
    }

    public Path dir() {
        return dir;
    }

    public List<String> problems() {
        return problems;
    }
}
