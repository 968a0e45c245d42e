package io.tessera.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts of the model packages committed under {@code models/} that tests derive expected UIDs from. */
final class CommittedModels {
    private CommittedModels() {
    }

    /** The {@code version:} of a committed package's manifest (SEG UIDs are derived from it). */
    static String version(String model) {
        try {
            return Files.readAllLines(Path.of("..", "models", model, "tessera-model.yaml")).stream()
                    .filter(l -> l.startsWith("version:")).map(l -> l.substring("version:".length()).trim()).findFirst()
                    .orElseThrow(() -> new IllegalStateException(model + ": no version in its manifest"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
