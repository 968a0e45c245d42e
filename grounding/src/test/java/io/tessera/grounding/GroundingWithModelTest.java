package io.tessera.grounding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tessera.inference.InferenceSettings;
import io.tessera.inference.LoadedModel;
import io.tessera.inference.ModelRegistry;
import io.tessera.inference.SegmentationOutput;
import io.tessera.inference.Segmenter;
import io.tessera.testkit.phantom.Phantom;
import io.tessera.testkit.phantom.PhantomGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The same accuracy measurement with the organ segmentation made by the reference model (models/ct-phantom-organs,
 * run by the inference engine on CPU) instead of the phantom's truth: what grounding achieves in the real pipeline.
 */
class GroundingWithModelTest {
    private static final Path MODELS = Path.of("..", "models").toAbsolutePath().normalize();
    static final int PHANTOMS = 10;

    @Test
    void grounds_phantom_report_findings_with_the_reference_model_segmentation() throws Exception {
        assumeTrue(Files.isRegularFile(MODELS.resolve("ct-phantom-organs/model.onnx")), "reference model not built: " + MODELS);
        GroundingScore score = new GroundingScore();
        double organDice = 0;
        try (ModelRegistry registry = ModelRegistry.load(List.of(MODELS), InferenceSettings.cpu())) {
            LoadedModel model = registry.get("ct-phantom-organs").orElseThrow();
            for (int n = 0; n < PHANTOMS; n++) {
                Phantom p = PhantomGenerator.generate(GroundingAccuracyTest.spec(n));
                SegmentationOutput out = new Segmenter().segment(model, p.ct());
                for (int v = 2; v <= 8; v++) organDice += out.labels().dice(p.organs(), v) / 7 / PHANTOMS;
                score.add(p, out.labels(), model.modelPackage().labels());
            }
        }
        System.out.println(score.table(String.format(java.util.Locale.ROOT,
                "Grounding accuracy, ct-phantom-organs segmentation (mean organ Dice %.3f), PhantomSpec.small(101..110)",
                organDice), PHANTOMS));
        score.failures.forEach(f -> System.out.println("  miss: " + f));
        assertTrue(score.positiveShare() >= 0.9, score.failures.toString());
        assertEquals(1.0, score.negatedShare(), score.failures.toString());
        assertEquals(1.0, score.noLesionShare(), score.failures.toString());
    }
}
