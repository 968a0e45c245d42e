package io.tessera.inference;

import static org.junit.jupiter.api.Assertions.*;

import io.tessera.core.Classification;
import io.tessera.core.SliceRef;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code task: classification}: the reference package loads and runs; broken ones list every problem with its path. */
class ClassificationPackageTest {
    static final Path REFERENCE = Path.of("..", "models", "cxr-phantom-findings");
    @TempDir Path tmp;

    private Path copy(UnaryOperator<String> edit) {
        return TestModels.copy(REFERENCE, tmp.resolve("pkg"), edit);
    }

    private static List<String> problems(Path dir) {
        return assertThrows(ModelPackageException.class, () -> ModelPackage.load(dir)).problems();
    }

    @Test
    void the_reference_package_loads_with_its_labels_and_declared_input() throws Exception {
        ModelManifest m = ModelPackage.load(REFERENCE).manifest();
        assertTrue(m.classification());
        assertNull(m.input(), "a 2D frame input, not a volume input");
        assertEquals("voi", m.frame().window().type());
        assertEquals(128, m.frame().resizeLongestSide());
        assertEquals("image", m.classifier().inputName());
        assertEquals("sigmoid", m.classifier().activation());
        assertEquals(List.of("lung_nodule", "enlarged_heart"), m.classifier().labels().stream().map(ModelManifest.ClassLabel::name).toList());
        assertEquals("RID50149", m.classifier().labels().get(0).codes().get(0).code());
    }

    @Test
    void a_broken_manifest_lists_every_problem_with_its_path() throws Exception {
        Path dir = copy(y -> y.replace("activation: sigmoid", "activation: relu").replace("dimensions: 2d", "dimensions: 3d")
                .replace("      threshold: 0.5\n      codes: [ { scheme: SCT", "      threshold: 1.5\n      codes: [ { scheme: SCT")
                .replace("    - index: 1", "    - index: 2").replace("  name: image ", "  nom: image "));
        List<String> p = problems(dir);
        assertTrue(p.contains("output.activation: unknown activation 'relu' (sigmoid | softmax)"), p.toString());
        assertTrue(p.contains("input.dimensions: classification runs on one frame at a time: 2d, was '3d'"), p.toString());
        assertTrue(p.contains("output.labels[1].threshold: must be a number in (0, 1)"), p.toString());
        assertTrue(p.contains("output.labels: no label for output column 1 (indices must be 0..1, one per column)"), p.toString());
        assertTrue(p.contains("input.nom: unknown key"), p.toString());
        assertTrue(p.contains("input.name: missing (the graph input that takes the prepared image)"), p.toString());
    }

    @Test
    void a_manifest_that_does_not_fit_the_graph_names_what_the_graph_has() throws Exception {
        Path dir = copy(y -> y.replace("resizeLongestSide: 128", "resizeLongestSide: 64").replace("name: logits", "name: scores")
                .replace("    - index: 1\n", "    - index: 2\n      name: spare\n      threshold: 0.5\n    - index: 1\n"));
        List<String> p = problems(dir);
        assertTrue(p.contains("output.name: 'scores' is not in the graph (its outputs: [logits])"), p.toString());
        // fixed or dynamic: the exported graph's spatial dims are fixed at 128
        assertTrue(p.stream().anyMatch(s -> s.startsWith("input.resizeLongestSide: 64 but the graph input is fixed at")), p.toString());
    }

    @Test
    void classifies_a_frame_with_the_declared_activation_and_thresholds() throws Exception {
        try (ModelRegistry models = ModelRegistry.load(List.of(REFERENCE.getParent()), InferenceSettings.cpu())) {
            LoadedModel m = models.get("cxr-phantom-findings").orElseThrow();
            float[] v = new float[192 * 160];
            for (int i = 0; i < v.length; i++) v[i] = 1000 + (i % 192) * 10;
            FrameImage frame = new FrameImage("f1", 192, 160, v, 1900, 3400);
            Classification c = new FrameClassifier(m).classify(frame, new SliceRef("1.2.840.10008.5.1.4.1.1.1.1", "1.2.3", null, null));
            assertEquals(2, c.labels().size());
            float[] scores = new FrameClassifier(m).scores(frame);
            for (int i = 0; i < 2; i++) {
                double p = c.labels().get(i).probability();
                assertEquals(1 / (1 + Math.exp(-scores[i])), p, 1e-9);
                assertEquals(p >= 0.5, c.labels().get(i).present());
            }
            assertEquals("cxr-phantom-findings", c.model().name());
            assertThrows(IllegalArgumentException.class, () -> new FrameClassifier(models.get("ct-phantom-organs").orElseThrow()));
        }
    }

    @Test
    void softmax_sums_to_one_and_does_not_overflow() {
        double[] p = FrameClassifier.probabilities(new float[] {1000f, 999f, -5f}, "softmax");
        assertEquals(1.0, p[0] + p[1] + p[2], 1e-12);
        assertEquals(1 / (1 + Math.exp(-1)), p[0], 1e-9);
    }
}
