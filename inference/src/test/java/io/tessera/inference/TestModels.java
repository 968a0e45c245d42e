package io.tessera.inference;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/** The committed test packages (made by src/test/python/make_test_models.py) and copies of them with edits. */
final class TestModels {
    static Path dir(String folder) {
        return dir(folder, "model.onnx");
    }

    /** A committed package folder, found by one of its files. */
    static Path dir(String folder, String file) {
        try {
            return Path.of(TestModels.class.getResource("/models/" + folder + "/" + file).toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Copies package {@code folder} to {@code target}, rewriting its manifest with {@code edit}. */
    static Path copy(String folder, Path target, UnaryOperator<String> edit) {
        return copy(dir(folder), target, edit);
    }

    /** Copies the one-graph package in {@code source} (e.g. a reference model) to {@code target}, editing its manifest. */
    static Path copy(Path source, Path target, UnaryOperator<String> edit) {
        try {
            Files.createDirectories(target);
            Files.copy(source.resolve("model.onnx"), target.resolve("model.onnx"));
            String yaml = Files.readString(source.resolve("tessera-model.yaml"));
            Files.writeString(target.resolve("tessera-model.yaml"), edit.apply(yaml));
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private TestModels() {}
}
