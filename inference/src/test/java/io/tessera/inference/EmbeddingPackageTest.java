package io.tessera.inference;

import static org.junit.jupiter.api.Assertions.*;

import io.tessera.core.Classification;
import io.tessera.core.SliceRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code task: embedding}: the image-text reference package (its image encoder trained here, all-MiniLM-L6-v2 as text
 * encoder) loads and gives zero-shot labels computed as documented; broken packages list every problem with its path,
 * including the ones only running the graphs shows (vectors of two lengths).
 */
class EmbeddingPackageTest {
    static final Path REFERENCE = Path.of("..", "models", "cxr-phantom-heart-text");
    static final SliceRef IMAGE = new SliceRef("1.2.840.10008.5.1.4.1.1.1.1", "1.2.3", null, null);
    @TempDir Path tmp;
    private int copies;

    /** The reference package in a fresh folder, manifest edited, with the text encoder copied in as a build does. */
    private Path copy(UnaryOperator<String> edit) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("pkg" + ++copies));
        Files.copy(REFERENCE.resolve("image_encoder.onnx"), dir.resolve("image_encoder.onnx"));
        BundledTextEncoder.copyTo(dir);
        Files.writeString(dir.resolve("tessera-model.yaml"), edit.apply(Files.readString(REFERENCE.resolve("tessera-model.yaml"))));
        return dir;
    }

    private static List<String> problems(Path dir) {
        return assertThrows(ModelPackageException.class, () -> ModelPackage.load(dir)).problems();
    }

    private static FrameImage frame(int seed) {
        float[] v = new float[192 * 160];
        java.util.Random r = new java.util.Random(seed);
        for (int i = 0; i < v.length; i++) v[i] = 800 + (i % 192) * 8 + r.nextInt(200);
        return new FrameImage("f" + seed, 192, 160, v, 1900, 3400);
    }

    @Test
    void the_reference_package_loads_as_a_zero_shot_classifier_of_single_frames() throws Exception {
        ModelPackage p = ModelPackage.load(copy(y -> y));
        ModelManifest m = p.manifest();
        assertTrue(m.embeddingTask() && m.classifiesFrames());
        assertEquals(ModelManifest.CLASSIFICATION, m.routeTask(), "routes treat it as a classifier");
        assertEquals("mean", m.embedding().pooling());
        assertEquals(List.of("enlarged_heart"), m.embedding().labels().stream().map(ModelManifest.ZeroShotLabel::name).toList());
        assertEquals("8186001", m.embedding().labels().get(0).codes().get(0).code());
        assertTrue(m.embedding().scale() > 1, "a learnt logit scale: " + m.embedding().scale());
        // the tokenizer is part of the model's identity: another tokenizer.json is another model
        Path other = copy2(p.dir());
        Files.writeString(other.resolve(BundledTextEncoder.TOKENIZER), Files.readString(other.resolve(BundledTextEncoder.TOKENIZER))
                .replace("\"lowercase\": true", "\"lowercase\": false").replace("\"lowercase\":true", "\"lowercase\":false"));
        assertNotEquals(p.identity().sha256(), ModelPackage.load(other).identity().sha256());
    }

    private Path copy2(Path from) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("pkg2"));
        try (var s = Files.list(from)) {
            for (Path f : s.toList()) Files.copy(f, dir.resolve(f.getFileName()));
        }
        return dir;
    }

    @Test
    void a_broken_manifest_lists_every_problem_with_its_path() throws Exception {
        Path dir = copy(y -> y.replace("pooling: mean", "pooling: max").replace("      threshold: 0.5\n", "      threshold: 1.5\n")
                .replace("      absent: [ \"heart of normal size\", \"the heart looks normal\", \"normal-sized heart\" ]\n", "")
                .replace("dimensions: 2d", "dimensions: 3d").replace("  text-encoder:", "  txt-encoder:")
                .replace("maxTokens: 64", "maxTokens: 64\n  vocabulary: vocab.txt"));
        List<String> p = problems(dir);
        assertTrue(p.contains("text.pooling: unknown pooling 'max' (none: the graph gives [N, D] | mean: over the attention mask | cls: the first token)"), p.toString());
        assertTrue(p.contains("zeroShot.labels[0].threshold: must be a number in (0, 1)"), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.startsWith("zeroShot.labels[0].absent: must list at least one phrase")), p.toString());
        assertTrue(p.contains("input.dimensions: embedding runs on one frame at a time: 2d, was '3d'"), p.toString());
        assertTrue(p.contains("graphs.txt-encoder: unknown role (embedding has [image-encoder, text-encoder])"), p.toString());
        assertTrue(p.contains("graphs.text-encoder: missing"), p.toString());
        assertTrue(p.contains("text.vocabulary: unknown key"), p.toString());
    }

    @Test
    void graphs_and_tokenizer_that_do_not_fit_are_named() throws Exception {
        // a classifier's graph as image encoder: two scores, not a 384-dimensional vector
        Path dir = copy(y -> y.replace("outputs: { embedding: embedding }", "outputs: { embedding: logits }"));
        Files.copy(Path.of("..", "models", "cxr-phantom-findings", "model.onnx"), dir.resolve("image_encoder.onnx"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        List<String> p = problems(dir);
        assertTrue(p.contains("graphs: the image encoder makes 2-dimensional vectors, the text encoder 384-dimensional ones: they must share one space"),
                p.toString());

        Path noMask = tmp.resolve("no-mask");
        Files.move(copy(y -> y.replace(", attention_mask: attention_mask", "")), noMask);
        List<String> q = problems(noMask);
        assertTrue(q.contains("graphs.text-encoder.inputs: the graph also takes [attention_mask], which no slot feeds"), q.toString());

        Path badTok = tmp.resolve("bad-tokenizer");
        Files.move(copy(y -> y), badTok);
        Files.writeString(badTok.resolve(BundledTextEncoder.TOKENIZER), "{\"model\": {\"type\": \"NoSuchModel\"}}");
        List<String> r = problems(badTok);
        assertTrue(r.stream().anyMatch(s -> s.startsWith("text.tokenizer: " + BundledTextEncoder.TOKENIZER + ": not a tokenizer")), r.toString());

        Path noTok = tmp.resolve("no-tokenizer");
        Files.move(copy(y -> y), noTok);
        Files.delete(noTok.resolve(BundledTextEncoder.TOKENIZER));
        assertTrue(problems(noTok).contains("text.tokenizer: " + BundledTextEncoder.TOKENIZER + " missing"));
    }

    @Test
    void zero_shot_probability_is_the_softmax_of_the_scaled_similarities_to_the_prompt_means() throws Exception {
        Path dir = copy(y -> y);
        try (ModelRegistry models = ModelRegistry.load(List.of(dir.getParent()), InferenceSettings.cpu())) {
            LoadedModel m = models.get("cxr-phantom-heart-text").orElseThrow(() -> new AssertionError(models.problems().toString()));
            ModelManifest.Embedding e = m.manifest().embedding();
            ModelManifest.ZeroShotLabel label = e.labels().get(0);
            try (Embedder embedder = Embedder.open(m); ImageClassifier c = FrameClassifier.of(m)) {
                float[] present = meanOf(embedder, label.present());
                float[] absent = meanOf(embedder, label.absent());
                for (int seed = 1; seed <= 3; seed++) {
                    FrameImage f = frame(seed);
                    Classification out = c.classify(f, IMAGE);
                    float[] v = embedder.image(f);
                    assertEquals(1.0, Math.sqrt(TextEncoder.dot(v, v)), 1e-5, "unit length");
                    double expected = 1 / (1 + Math.exp(-e.scale() * (TextEncoder.dot(v, present) - TextEncoder.dot(v, absent))));
                    assertEquals(expected, out.labels().get(0).probability(), 1e-6);
                    assertEquals(expected >= label.threshold(), out.labels().get(0).present());
                    assertEquals(ZeroShotClassifier.ACTIVATION, out.activation());
                    assertEquals("Cardiomegaly", out.labels().get(0).codes().get(0).meaning());
                }
            }
        }
    }

    private static float[] meanOf(Embedder embedder, List<String> phrases) throws Exception {
        float[] sum = new float[384];
        for (String p : phrases) {
            float[] v = embedder.text(p);
            for (int i = 0; i < v.length; i++) sum[i] += v[i];
        }
        return TextEncoder.unit(sum);
    }

    @Test
    void a_package_without_zero_shot_labels_embeds_and_is_no_classifier() throws Exception {
        Path dir = copy(y -> y.substring(0, y.indexOf("zeroShot:")));
        try (ModelRegistry models = ModelRegistry.load(List.of(dir.getParent()), InferenceSettings.cpu())) {
            LoadedModel m = models.get("cxr-phantom-heart-text").orElseThrow(() -> new AssertionError(models.problems().toString()));
            assertFalse(m.manifest().classifiesFrames());
            assertEquals(ModelManifest.EMBEDDING, m.manifest().routeTask());
            InferenceException e = assertThrows(InferenceException.class, () -> FrameClassifier.of(m));
            assertTrue(e.getMessage().startsWith("TSR-0367"), e.getMessage());
        }
    }
}
