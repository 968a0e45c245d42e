package io.tessera.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.core.Grid;
import io.tessera.core.Volume;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code task: grounding} packages: the reference model (models/phantom-grounding) loads; broken ones list every problem. */
class GroundingPackageTest {
    static final Path DIR = Path.of("..", "models", "phantom-grounding").toAbsolutePath().normalize();
    @TempDir Path tmp;

    @Test
    void loads_the_reference_grounding_package() throws Exception {
        ModelPackage p = ModelPackage.load(DIR);
        ModelManifest m = p.manifest();
        assertTrue(m.grounding());
        assertEquals("phantom-grounding", m.name());
        assertEquals("tokens", m.text().name());
        assertEquals(24, m.text().maxTokens());
        assertEquals("sigmoid", m.output().activation());
        assertEquals(0.5, m.output().threshold());
        assertEquals(List.of(), p.labels());
    }

    @Test
    void lists_every_problem_of_a_broken_grounding_manifest() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("bad"));
        Files.writeString(dir.resolve("tessera-model.yaml"), """
                name: bad-grounding
                version: 1.0.0
                task: grounding
                input:
                  name: image
                  spacing: [4.0, 4.0, 4.0]
                  intensity: { type: window, min: -1000.0, max: 1000.0 }
                  patch: [80, 96, 96]
                text:
                  name: tokens
                  tokenizer: ../tokenizer.txt
                  maxTokens: 0
                  lowercase: true
                output:
                  name: logits
                  activation: softmax
                  threshold: 1.5
                  labels:
                    - { value: 1, name: a, category: { code: "1", meaning: A }, type: { code: "2", meaning: B }, color: [1, 2, 3] }
                """);
        ModelPackageException e = assertThrows(ModelPackageException.class, () -> ModelPackage.load(dir));
        List<String> expected = List.of(
                "text.lowercase: unknown key",
                "text.tokenizer: must be a .json file name inside the package, was '../tokenizer.txt'",
                "text.maxTokens: must be an int in 1..4096",
                "output.activation: grounding needs sigmoid or none (one channel), was 'softmax'",
                "output.labels: not used by task grounding (one channel: the phrase's region)",
                "output.threshold: must be a number in (0, 1)",
                "model.onnx: missing");
        for (String problem : expected) assertTrue(e.problems().contains(problem), problem + " not in " + e.problems());
        assertEquals(expected.size(), e.problems().size(), e.problems().toString());
    }

    @Test
    void a_grounding_manifest_needs_its_text_input_and_a_segmentation_one_refuses_it() throws Exception {
        Path noText = copy("no-text", y -> y.substring(0, y.indexOf("text:")) + y.substring(y.indexOf("output:")));
        ModelPackageException e = assertThrows(ModelPackageException.class, () -> ModelPackage.load(noText));
        assertEquals(List.of("text: missing"), e.problems());
        Path seg = copy("seg", y -> y.replace("task: grounding", "task: segmentation"));
        e = assertThrows(ModelPackageException.class, () -> ModelPackage.load(seg));
        assertTrue(e.problems().contains("text: only for task grounding"), e.problems().toString());
        assertTrue(e.problems().contains("output.labels: must be a non-empty list"), e.problems().toString());
    }

    @Test
    void checks_the_manifest_against_the_graph_and_the_tokenizer_file() throws Exception {
        Path wrong = copy("wrong", y -> y.replace("  name: tokens", "  name: words").replace("maxTokens: 24", "maxTokens: 16"));
        ModelPackageException e = assertThrows(ModelPackageException.class, () -> ModelPackage.load(wrong));
        assertEquals(List.of("text.name: 'words' is not in the graph (graph has [image, tokens])"), e.problems());
        Path len = copy("len", y -> y.replace("maxTokens: 24", "maxTokens: 16"));
        e = assertThrows(ModelPackageException.class, () -> ModelPackage.load(len));
        assertEquals(List.of("text.maxTokens: 16 but the graph's token dimension is fixed at 24"), e.problems());
        Path noTok = copy("no-tok", y -> y);
        Files.delete(noTok.resolve("tokenizer.json"));
        e = assertThrows(ModelPackageException.class, () -> ModelPackage.load(noTok));
        assertEquals(List.of("text.tokenizer: tokenizer.json missing"), e.problems());
    }

    @Test
    void the_heatmap_comes_back_on_the_source_grid_as_probabilities() throws Exception {
        Grid g = Grid.axial(40, 36, 20, new double[] {-60, -54, -50}, new double[] {3, 3, 5});
        float[] hu = new float[g.voxelCount()];
        java.util.Arrays.fill(hu, -1000f);
        try (LoadedModel m = GroundingRunner.openCpu(DIR)) {
            GroundingRunner r = new GroundingRunner(m);
            Volume heat = r.heatmap(new Volume(g, hu), "Nodule in the right upper lobe, 8 mm");
            assertEquals(g, heat.grid());
            for (float v : heat.voxels()) assertTrue(v >= 0 && v <= 1, "probability " + v);
            assertEquals("model:phantom-grounding 1.0.0", r.method());
        }
    }

    private Path copy(String name, UnaryOperator<String> edit) {
        try {
            Path target = Files.createDirectories(tmp.resolve(name));
            for (String f : List.of("model.onnx", "tokenizer.json")) Files.copy(DIR.resolve(f), target.resolve(f));
            Files.writeString(target.resolve("tessera-model.yaml"), edit.apply(Files.readString(DIR.resolve("tessera-model.yaml"))));
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
