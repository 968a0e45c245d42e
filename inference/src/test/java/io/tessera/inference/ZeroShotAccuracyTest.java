package io.tessera.inference;

import static org.junit.jupiter.api.Assertions.*;

import io.tessera.core.Classification;
import io.tessera.core.SliceRef;
import io.tessera.testkit.phantom.Radiograph;
import io.tessera.testkit.phantom.RadiographDump;
import io.tessera.testkit.phantom.RadiographProjector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image-text reference package's zero-shot label on radiographs of fresh phantom seeds (never in training nor
 * in the held-out set the recipe was judged on), through Tessera's own path: declared pre-processing, image encoder,
 * the manifest's prompts through the real tokenizer and text encoder. The prompts were never training captions, so
 * this measures what zero-shot means: phrases the image encoder was not trained on, carried by the text encoder. A
 * second prompt set, written for this test only, shows how much the wording matters.
 */
class ZeroShotAccuracyTest {
    static final long FIRST_SEED = 970_001;
    static final int CASES = 40;
    @TempDir Path tmp;

    @Test
    void enlarged_heart_by_text_prompts_on_fresh_radiographs() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("cxr-phantom-heart-text"));
        Path ref = EmbeddingPackageTest.REFERENCE;
        Files.copy(ref.resolve("image_encoder.onnx"), dir.resolve("image_encoder.onnx"));
        Files.copy(ref.resolve("tessera-model.yaml"), dir.resolve("tessera-model.yaml"));
        BundledTextEncoder.copyTo(dir);
        Path other = Files.createDirectories(tmp.resolve("other").resolve("cxr-phantom-heart-text"));
        for (String f : List.of("image_encoder.onnx", BundledTextEncoder.ONNX, BundledTextEncoder.TOKENIZER)) {
            Files.copy(dir.resolve(f), other.resolve(f));
        }
        String original = Files.readString(dir.resolve("tessera-model.yaml"));
        Files.writeString(other.resolve("tessera-model.yaml"), original
                .replace("present: [ \"enlarged heart\", \"the heart is large\", \"cardiac enlargement\" ]",
                        "present: [ \"cardiomegaly is present\", \"big heart\" ]")
                .replace("absent: [ \"heart of normal size\", \"the heart looks normal\", \"normal-sized heart\" ]",
                        "absent: [ \"no cardiomegaly\", \"small heart\" ]"));
        assertNotEquals(original, Files.readString(other.resolve("tessera-model.yaml")), "the second prompt set replaced the first");

        List<Radiograph> cases = new ArrayList<>();
        for (int i = 0; i < CASES; i++) cases.add(RadiographProjector.project(RadiographDump.spec(FIRST_SEED + i)));
        double[] manifest = auc(tmp, cases);
        double[] rewritten = auc(tmp.resolve("other"), cases);
        System.out.printf("zero-shot enlarged_heart, fresh seeds %d-%d (%d cases, prevalence %.2f): manifest prompts AUC %.3f,"
                        + " accuracy %.3f, mean p %.3f; other prompts AUC %.3f, accuracy %.3f, mean p %.3f%n", FIRST_SEED, FIRST_SEED + CASES - 1, CASES,
                cases.stream().filter(Radiograph::enlargedHeart).count() / (double) CASES, manifest[0], manifest[1], manifest[2], rewritten[0], rewritten[1], rewritten[2]);
        // measured 0.956 on the recipe's held-out seeds; a floor well above chance, below what was measured
        assertTrue(manifest[0] >= 0.85, "AUC " + manifest[0]);
        assertTrue(manifest[1] >= 0.7, "accuracy " + manifest[1]);
    }

    /** {AUC, accuracy at the package's threshold, mean probability} of the package under {@code modelsDir} on {@code cases}. */
    private static double[] auc(Path modelsDir, List<Radiograph> cases) throws Exception {
        try (ModelRegistry models = ModelRegistry.load(List.of(modelsDir), InferenceSettings.cpu())) {
            LoadedModel m = models.get("cxr-phantom-heart-text").orElseThrow(() -> new AssertionError(models.problems().toString()));
            List<double[]> scored = new ArrayList<>(); // {probability, truth}
            int right = 0;
            try (ImageClassifier c = FrameClassifier.of(m)) {
                for (Radiograph r : cases) {
                    float[] v = new float[r.pixels().length];
                    for (int i = 0; i < v.length; i++) v[i] = r.pixels()[i];
                    Classification out = c.classify(new FrameImage("case", r.width(), r.height(), v, io.tessera.testkit.RadiographStudy.WINDOW_CENTER,
                            io.tessera.testkit.RadiographStudy.WINDOW_WIDTH),
                            new SliceRef("1.2.840.10008.5.1.4.1.1.1.1", "1.2.3", null, null));
                    double p = out.labels().get(0).probability();
                    scored.add(new double[] {p, r.enlargedHeart() ? 1 : 0});
                    if (out.labels().get(0).present() == r.enlargedHeart()) right++;
                }
            }
            double wins = 0, pairs = 0;
            for (double[] a : scored) {
                for (double[] b : scored) {
                    if (a[1] == 1 && b[1] == 0) {
                        pairs++;
                        wins += a[0] > b[0] ? 1 : a[0] == b[0] ? 0.5 : 0;
                    }
                }
            }
            return new double[] {wins / pairs, right / (double) cases.size(), scored.stream().mapToDouble(x -> x[0]).average().orElseThrow()};
        }
    }
}
