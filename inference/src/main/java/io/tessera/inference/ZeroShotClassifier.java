package io.tessera.inference;

import io.tessera.core.ClassifiedLabel;
import io.tessera.core.Classification;
import io.tessera.core.Code;
import io.tessera.core.SliceRef;
import java.util.ArrayList;
import java.util.List;

/**
 * Zero-shot labels from an image-text ({@code task: embedding}) package: each label's present and absent phrases are
 * embedded once per job by the text encoder and averaged per side (prompt ensembling); each image is embedded by the
 * image encoder; the probability that a label is present is the softmax of {@code scale} × the two cosine similarities
 * (CheXzero's positive/negative prompts), and the label's threshold decides. No label needs a trained output column:
 * the phrases in the manifest are the classifier.
 */
public final class ZeroShotClassifier implements ImageClassifier {
    /** What the activation is called in the SR and FHIR notes: how the probability was made. */
    public static final String ACTIVATION = "zero-shot";
    private final LoadedModel model;
    private final Embedder embedder;
    private final List<float[][]> prompts = new ArrayList<>(); // per label: {present, absent} unit vectors

    private ZeroShotClassifier(LoadedModel model, Embedder embedder) {
        this.model = model;
        this.embedder = embedder;
    }

    static ZeroShotClassifier open(LoadedModel model) throws InferenceException {
        ModelManifest.Embedding e = model.manifest().embedding();
        if (e.labels().isEmpty()) {
            throw new InferenceException("TSR-0367: model " + model.name() + " has no zeroShot labels: it embeds, it does not classify");
        }
        ZeroShotClassifier c = new ZeroShotClassifier(model, Embedder.open(model));
        try {
            for (ModelManifest.ZeroShotLabel l : e.labels()) {
                c.prompts.add(new float[][] {c.mean(l.present()), c.mean(l.absent())});
            }
            return c;
        } catch (InferenceException | RuntimeException ex) {
            c.close();
            throw ex;
        }
    }

    private float[] mean(List<String> phrases) throws InferenceException {
        float[] sum = null;
        for (String p : phrases) {
            float[] v = embedder.text(p);
            if (sum == null) sum = new float[v.length];
            for (int i = 0; i < v.length; i++) sum[i] += v[i];
        }
        return TextEncoder.unit(sum);
    }

    @Override
    public Classification classify(FrameImage frame, SliceRef image) throws InferenceException {
        float[] v = embedder.image(frame);
        ModelManifest.Embedding e = model.manifest().embedding();
        List<ClassifiedLabel> labels = new ArrayList<>();
        for (int i = 0; i < e.labels().size(); i++) {
            ModelManifest.ZeroShotLabel l = e.labels().get(i);
            float[][] pa = prompts.get(i);
            if (pa[0].length != v.length) {
                throw new InferenceException("TSR-0369: model " + model.name() + ": image vectors have " + v.length
                        + " dimensions, text vectors " + pa[0].length);
            }
            double present = e.scale() * TextEncoder.dot(v, pa[0]);
            double absent = e.scale() * TextEncoder.dot(v, pa[1]);
            double p = 1 / (1 + Math.exp(absent - present)); // softmax of the two
            List<Code> codes = l.codes().stream().map(x -> new Code(x.scheme(), x.code(), x.meaning())).toList();
            labels.add(new ClassifiedLabel(l.name(), l.display(), codes, p, l.threshold(), p >= l.threshold()));
        }
        return new Classification(model.identity(), ACTIVATION, image, labels);
    }

    @Override
    public void close() {
        embedder.close();
    }
}
