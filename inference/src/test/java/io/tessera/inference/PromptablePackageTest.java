package io.tessera.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code task: promptable-segmentation}: the tiny SAM-shaped package loads; broken ones list every problem with its path. */
class PromptablePackageTest {
    @TempDir Path tmp;

    static Path tiny() {
        return TestModels.dir("promptable-tiny", "encoder.onnx");
    }

    private Path copy(UnaryOperator<String> edit, String... files) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("pkg"));
        for (String f : files) Files.copy(tiny().resolve(f), dir.resolve(f));
        Files.writeString(dir.resolve("tessera-model.yaml"), edit.apply(Files.readString(tiny().resolve("tessera-model.yaml"))));
        return dir;
    }

    private static List<String> problems(Path dir) {
        return assertThrows(ModelPackageException.class, () -> ModelPackage.load(dir)).problems();
    }

    @Test
    void loads_a_package_with_encoder_and_decoder_roles() throws Exception {
        ModelPackage p = ModelPackage.load(tiny());
        ModelManifest m = p.manifest();
        assertTrue(m.promptable());
        assertNull(m.input(), "a 2D frame input, not a volume input");
        assertEquals("2d", m.frame().dimensions());
        assertEquals(32, m.frame().resizeLongestSide());
        assertEquals("input", m.graphs().get("encoder").inputs().get("image"));
        assertEquals("decoder.onnx", m.graphs().get("decoder").file());
        assertEquals(0.0, m.output().threshold());
        assertEquals(List.of(), p.labels());
        assertEquals(64, p.identity().sha256().length());
    }

    @Test
    void a_missing_decoder_file_is_named_and_no_model_onnx_is_asked_for() throws Exception {
        Path dir = copy(y -> y, "encoder.onnx");
        assertEquals(List.of("graphs.decoder.file: decoder.onnx missing"), problems(dir));
    }

    @Test
    void a_tensor_name_not_in_the_graph_is_named_with_what_the_graph_has() throws Exception {
        Path dir = copy(y -> y.replace("point_labels: point_labels", "point_labels: labels"), "encoder.onnx", "decoder.onnx");
        List<String> p = problems(dir);
        assertTrue(p.stream().anyMatch(s -> s.startsWith("graphs.decoder.inputs.point_labels: 'labels' is not in the decoder graph (its inputs: [")
                && s.contains("point_labels")), p.toString());
        assertTrue(p.contains("graphs.decoder.inputs: the graph also takes [point_labels], which no slot feeds"), p.toString());
    }

    @Test
    void shapes_that_do_not_fit_the_declared_input_are_named() throws Exception {
        Path dir = copy(y -> y.replace("resizeLongestSide: 32", "resizeLongestSide: 1024").replace("channels: 3", "channels: 1")
                .replace("[100.0, 100.0, 100.0]", "[100.0]").replace("[50.0, 50.0, 50.0]", "[50.0]"), "encoder.onnx", "decoder.onnx");
        List<String> p = problems(dir);
        assertTrue(p.stream().anyMatch(s -> s.startsWith("input.resizeLongestSide: 1024 but the encoder's input 'input' is fixed at [1, 3, 32, 32]")), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.startsWith("input.channels: 1 but the encoder's input 'input' has 3 channels")), p.toString());
    }

    @Test
    void lists_every_problem_of_a_broken_promptable_manifest() throws Exception {
        Path dir = copy(y -> y.replace("dimensions: 2d", "dimensions: 3d").replace("window: { min: 0.0, max: 1000.0 }", "window: { min: 5.0 }")
                .replace("  decoder:\n", "  refiner: { file: x.onnx }\n  decoder:\n")
                .replace("has_mask_input: has_mask_input, ", "").replace("file: encoder.onnx", "file: ../encoder.onnx")
                .replace("mean: [100.0, 100.0, 100.0]", "mean: [1.0]"));
        List<String> p = problems(dir);
        for (String expected : List.of(
                "input.dimensions: promptable-segmentation runs on one frame at a time: 2d, was '3d'",
                "input.window: give both min and max, or neither",
                "input.window: a fixed window needs min and max",
                "input.mean: must be 3 numbers (one per channel)",
                "graphs.refiner: unknown role (promptable-segmentation has [encoder, decoder])",
                "graphs.encoder.file: must be an .onnx path inside the package, was '../encoder.onnx'",
                "graphs.decoder.inputs.has_mask_input: missing")) {
            assertTrue(p.contains(expected), "missing '" + expected + "' in " + p);
        }
        assertFalse(p.stream().anyMatch(s -> s.startsWith("model.onnx")), p.toString());
    }
}
