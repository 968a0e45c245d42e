package io.tessera.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.tessera.core.Grid;
import io.tessera.core.Volume;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs a {@code task: grounding} package: the volume resampled to the model spacing and normalised as the manifest
 * says (the same {@link Resampler} and {@link IntensityNormalizer} as segmentation), padded with air to a multiple of
 * 8 voxels (as in training), the phrase tokenized by the package's {@link PhraseTokenizer}, one session run on the
 * whole volume, and the sigmoid heatmap resampled back to the source grid. The model sees the whole volume because
 * the phrase ("left lower lobe") is about position in it: patches would lose that.
 */
public final class GroundingRunner {
    static final int MULTIPLE = 8;
    private final LoadedModel model;
    private final PhraseTokenizer tokenizer;

    public GroundingRunner(LoadedModel model) throws IOException {
        if (!model.manifest().grounding()) {
            throw new IllegalArgumentException("TSR-0471: model " + model.name() + " is task " + model.manifest().task()
                    + ", not grounding");
        }
        this.model = model;
        ModelManifest.Text text = model.manifest().text();
        this.tokenizer = PhraseTokenizer.read(model.modelPackage().dir().resolve(text.tokenizer()), text.maxTokens());
    }

    /** Opens a package on the CPU on its own (tests, tools); the caller closes the returned model. */
    public static LoadedModel openCpu(Path dir) throws ModelPackageException {
        SessionFactory factory = new SessionFactory(OrtEnvironment.getEnvironment(), InferenceSettings.cpu());
        return ModelPackage.open(dir, factory, new DeviceGates(1));
    }

    public PhraseTokenizer tokenizer() {
        return tokenizer;
    }

    /** The probability that each voxel of {@code ct}'s grid belongs to what {@code phrase} describes. */
    public Volume heatmap(Volume ct, String phrase) throws InferenceException {
        ModelManifest m = model.manifest();
        Grid grid = Resampler.modelGrid(ct.grid(), m.input().spacingXyz());
        float[] v = Resampler.resample(ct, grid);
        float air = IntensityNormalizer.apply(v, m.input().intensity());
        int nx = grid.nx(), ny = grid.ny(), nz = grid.nz();
        int px = roundUp(nx), py = roundUp(ny), pz = roundUp(nz);
        float[] padded = new float[px * py * pz];
        java.util.Arrays.fill(padded, air);
        for (int k = 0; k < nz; k++) {
            for (int j = 0; j < ny; j++) System.arraycopy(v, (k * ny + j) * nx, padded, (k * py + j) * px, nx);
        }
        float[] logits = run(padded, new long[] {1, 1, pz, py, px}, tokenizer.encode(phrase));
        float[] prob = new float[grid.voxelCount()];
        for (int k = 0; k < nz; k++) {
            for (int j = 0; j < ny; j++) {
                int src = (k * py + j) * px, dst = (k * ny + j) * nx;
                for (int i = 0; i < nx; i++) {
                    float z = logits[src + i];
                    prob[dst + i] = "none".equals(m.output().activation()) ? z : (float) (1 / (1 + Math.exp(-z)));
                }
            }
        }
        return new Volume(ct.grid(), Resampler.resample(new Volume(grid, prob), ct.grid()));
    }

    /** The manifest's threshold for a voxel to belong to the region. */
    public double threshold() {
        return model.manifest().output().threshold();
    }

    public String method() {
        return "model:" + model.name() + " " + model.manifest().version();
    }

    private float[] run(float[] image, long[] shape, long[] tokens) throws InferenceException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        ModelManifest m = model.manifest();
        // the device's job slots, as segmentation jobs take them: a grounding run does not oversubscribe the device
        model.deviceSlots().acquireUninterruptibly();
        try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(image), shape);
             OnnxTensor tok = OnnxTensor.createTensor(env, LongBuffer.wrap(tokens), new long[] {1, tokens.length});
             OrtSession.Result r = model.session().run(Map.of(m.input().name(), in, m.text().name(), tok))) {
            OnnxTensor out = (OnnxTensor) r.get(m.output().name()).orElseThrow();
            FloatBuffer fb = out.getFloatBuffer();
            float[] logits = new float[fb.remaining()];
            fb.get(logits);
            if (logits.length != image.length) {
                throw new InferenceException("TSR-0472: grounding model " + model.name() + " returned " + logits.length
                        + " values for " + image.length + " voxels");
            }
            return logits;
        } catch (OrtException e) {
            throw new InferenceException("TSR-0473: grounding model " + model.name() + " failed: " + e.getMessage(), e);
        } finally {
            model.deviceSlots().release();
        }
    }

    private static int roundUp(int n) {
        return (n + MULTIPLE - 1) / MULTIPLE * MULTIPLE;
    }
}
