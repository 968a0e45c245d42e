package io.tessera.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.tessera.core.ClassifiedLabel;
import io.tessera.core.Code;
import io.tessera.core.Classification;
import io.tessera.core.SliceRef;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@code task: classification} package on one single-frame image: the declared pre-processing
 * ({@link FramePreprocessor}: window, resize, channels, mean/std, padding), one model call, the declared activation
 * over the scores, and per label the threshold decision. Takes a job slot of the model's device, as every run does.
 * Thread-safe; the session is shared.
 */
public final class FrameClassifier implements ImageClassifier {
    private final LoadedModel model;
    private final FramePreprocessor preprocessor;

    public FrameClassifier(LoadedModel model) {
        if (!model.manifest().classification()) {
            throw new IllegalArgumentException("TSR-0360: model " + model.name() + " is task " + model.manifest().task()
                    + ", not " + ModelManifest.CLASSIFICATION);
        }
        this.model = model;
        this.preprocessor = new FramePreprocessor(model.manifest().frame());
    }

    /**
     * The classifier a package makes: its graph's scores ({@code task: classification}), or zero-shot labels from text
     * prompts ({@code task: embedding} with {@code zeroShot}); close it after the job.
     */
    public static ImageClassifier of(LoadedModel model) throws InferenceException {
        if (model.manifest().embeddingTask()) return ZeroShotClassifier.open(model);
        return new FrameClassifier(model);
    }

    @Override
    public Classification classify(FrameImage frame, SliceRef image) throws InferenceException {
        float[] scores = scores(frame);
        ModelManifest.Classifier c = model.manifest().classifier();
        double[] p = probabilities(scores, c.activation());
        List<ClassifiedLabel> labels = new ArrayList<>();
        for (ModelManifest.ClassLabel l : c.labels()) {
            List<Code> codes = l.codes().stream().map(x -> new Code(x.scheme(), x.code(), x.meaning())).toList();
            double prob = p[l.index()];
            labels.add(new ClassifiedLabel(l.name(), l.display(), codes, prob, l.threshold(), prob >= l.threshold()));
        }
        return new Classification(model.identity(), c.activation(), image, labels);
    }

    /** The graph's raw scores (one per label) for the prepared frame. */
    float[] scores(FrameImage frame) throws InferenceException {
        FramePreprocessor.Prepared prepared = preprocessor.prepare(frame);
        ModelManifest.Classifier c = model.manifest().classifier();
        int channels = model.manifest().frame().channels();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        model.deviceSlots().acquireUninterruptibly(); // one device's job slots, shared with every other model run
        try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(prepared.tensor()),
                new long[] {1, channels, prepared.side(), prepared.side()});
             OrtSession.Result r = model.session().run(Map.of(c.inputName(), in))) {
            OnnxTensor out = (OnnxTensor) r.get(c.outputName()).orElseThrow();
            FloatBuffer fb = out.getFloatBuffer();
            if (fb.remaining() != c.labels().size()) {
                throw new InferenceException("TSR-0362: model " + model.name() + " returned " + fb.remaining()
                        + " scores for " + c.labels().size() + " labels");
            }
            float[] scores = new float[fb.remaining()];
            fb.get(scores);
            for (float s : scores) {
                if (!Float.isFinite(s)) throw new InferenceException("TSR-0363: model " + model.name() + " returned a score that is not a number");
            }
            return scores;
        } catch (OrtException e) {
            throw new InferenceException("TSR-0361: model " + model.name() + ": classification failed: " + e.getMessage(), e);
        } finally {
            model.deviceSlots().release();
        }
    }

    /** Sigmoid per score, or softmax over all (shifted by the maximum so that large scores do not overflow). */
    static double[] probabilities(float[] scores, String activation) {
        double[] p = new double[scores.length];
        if ("softmax".equals(activation)) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (float s : scores) max = Math.max(max, s);
            for (int i = 0; i < scores.length; i++) sum += p[i] = Math.exp(scores[i] - max);
            for (int i = 0; i < scores.length; i++) p[i] /= sum;
        } else {
            for (int i = 0; i < scores.length; i++) p[i] = 1 / (1 + Math.exp(-scores[i]));
        }
        return p;
    }
}
