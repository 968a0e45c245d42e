package io.tessera.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * The two towers of a {@code task: embedding} package: unit-length vectors of phrases (tokenizer, text encoder,
 * pooling) and of single-frame images (declared pre-processing, image encoder), in one space, so a dot product is a
 * cosine similarity. Each encoder run takes a job slot of the model's device. Close it to free the tokenizer.
 */
public final class Embedder implements AutoCloseable {
    private final LoadedModel model;
    private final HfTokenizer tokenizer;
    private final TextEncoder text;
    private final FramePreprocessor preprocessor;

    private Embedder(LoadedModel model, HfTokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
        ModelManifest.Graph g = model.manifest().graphs().get(EmbeddingContract.TEXT_ENCODER);
        this.text = new TextEncoder(tokenizer, model.session(EmbeddingContract.TEXT_ENCODER), g.inputs(),
                g.outputs().get("embedding"), model.manifest().embedding().pooling());
        this.preprocessor = new FramePreprocessor(model.manifest().frame());
    }

    public static Embedder open(LoadedModel model) throws InferenceException {
        if (!model.manifest().embeddingTask()) {
            throw new IllegalArgumentException("model " + model.name() + " is task " + model.manifest().task() + ", not "
                    + ModelManifest.EMBEDDING);
        }
        ModelManifest.Embedding e = model.manifest().embedding();
        try {
            return new Embedder(model, HfTokenizer.open(model.modelPackage().dir().resolve(e.tokenizer()), e.maxTokens()));
        } catch (IOException ex) {
            throw new InferenceException("TSR-0368: model " + model.name() + ": tokenizer " + e.tokenizer() + ": " + ex.getMessage(), ex);
        }
    }

    /** The unit-length vector of a phrase. */
    public float[] text(String phrase) throws InferenceException {
        model.deviceSlots().acquireUninterruptibly();
        try {
            return text.embed(phrase);
        } finally {
            model.deviceSlots().release();
        }
    }

    /** The unit-length vector the image encoder makes of {@code frame}, after the declared pre-processing. */
    public float[] image(FrameImage frame) throws InferenceException {
        FramePreprocessor.Prepared prepared = preprocessor.prepare(frame);
        ModelManifest.Graph g = model.manifest().graphs().get(EmbeddingContract.IMAGE_ENCODER);
        int channels = model.manifest().frame().channels();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        model.deviceSlots().acquireUninterruptibly();
        try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(prepared.tensor()),
                new long[] {1, channels, prepared.side(), prepared.side()});
             OrtSession.Result r = model.session(EmbeddingContract.IMAGE_ENCODER).run(Map.of(g.inputs().get("image"), in))) {
            OnnxTensor out = (OnnxTensor) r.get(g.outputs().get("embedding")).orElseThrow();
            FloatBuffer fb = out.getFloatBuffer();
            float[] v = new float[fb.remaining()];
            fb.get(v);
            for (float x : v) {
                if (!Float.isFinite(x)) throw new InferenceException("TSR-0363: model " + model.name() + " returned a value that is not a number");
            }
            return TextEncoder.unit(v);
        } catch (OrtException ex) {
            throw new InferenceException("TSR-0361: model " + model.name() + ": image encoder failed: " + ex.getMessage(), ex);
        } finally {
            model.deviceSlots().release();
        }
    }

    /** The cosine similarity of two unit vectors. */
    public static double cosine(float[] a, float[] b) {
        return TextEncoder.dot(a, b);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
