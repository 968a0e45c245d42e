package io.tessera.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a {@code task: promptable-segmentation} package (SAM family): the encoder once per frame, the decoder once per
 * prompt. Embeddings are cached by the frame's key (least recently used dropped beyond {@code cacheFrames}), so
 * several prompts on one slice cost one encoder run. Pre-processing is the manifest's ({@link FramePreprocessor}),
 * tensors are fed by the manifest's slot → name mapping, and the mask comes back on the frame's pixels
 * ({@link MaskMapper}). Thread-safe: sessions are shared, the cache is locked only to look up and store.
 *
 * <p>Failures: TSR-0340 not a promptable model; TSR-0341 encoder run, TSR-0342 decoder run failed (ONNX Runtime);
 * TSR-0343 an output of unexpected size; TSR-0344 no window for the frame; TSR-0345 a prompt or frame that does not fit.
 */
public final class PromptableSegmenter {
    /** SAM's low-resolution mask prompt side; a decoder may fix another, read from its graph. */
    private static final int DEFAULT_MASK_INPUT = 256;
    private final LoadedModel model;
    private final ModelManifest.Graph encoder;
    private final ModelManifest.Graph decoder;
    private final FramePreprocessor preprocessor;
    private final long[] maskInputShape;
    private final Map<String, FrameEmbedding> cache;
    private final AtomicLong encoderRuns = new AtomicLong();

    public PromptableSegmenter(LoadedModel model, int cacheFrames) {
        if (!model.manifest().promptable()) {
            throw new IllegalArgumentException("TSR-0340: model " + model.name() + " is task " + model.manifest().task()
                    + ", not " + ModelManifest.PROMPTABLE);
        }
        this.model = model;
        this.encoder = model.manifest().graphs().get(PromptableContract.ENCODER);
        this.decoder = model.manifest().graphs().get(PromptableContract.DECODER);
        this.preprocessor = new FramePreprocessor(model.manifest().frame());
        this.maskInputShape = maskInputShape();
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, FrameEmbedding> eldest) {
                return size() > cacheFrames;
            }
        };
    }

    public PromptableSegmenter(LoadedModel model) {
        this(model, 8);
    }

    /** How many times the encoder has run (a cached frame does not run it). */
    public long encoderRuns() {
        return encoderRuns.get();
    }

    /** One mask for {@code prompt} on {@code frame}; the frame's embedding is made once and reused by its key. */
    public PromptMask segment(FrameImage frame, Prompt prompt) throws InferenceException {
        prompt.checkInside(frame.width(), frame.height());
        FrameEmbedding e;
        synchronized (cache) {
            e = cache.get(frame.key());
        }
        boolean cached = e != null;
        if (!cached) {
            e = embed(frame);
            synchronized (cache) {
                cache.put(frame.key(), e);
            }
        }
        return decode(e, prompt, cached);
    }

    FrameEmbedding embed(FrameImage frame) throws InferenceException {
        FramePreprocessor.Prepared p = preprocessor.prepare(frame);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        int channels = model.manifest().frame().channels();
        long start = System.nanoTime();
        model.deviceSlots().acquireUninterruptibly(); // one device's job slots, shared with segmentation jobs
        try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(p.tensor()), new long[] {1, channels, p.side(), p.side()});
             OrtSession.Result r = model.session(PromptableContract.ENCODER).run(Map.of(encoder.inputs().get("image"), in))) {
            OnnxTensor out = (OnnxTensor) r.get(encoder.outputs().get("image_embeddings")).orElseThrow();
            long[] shape = out.getInfo().getShape();
            FloatBuffer fb = out.getFloatBuffer();
            float[] values = new float[fb.remaining()];
            fb.get(values);
            encoderRuns.incrementAndGet();
            return new FrameEmbedding(frame.key(), values, shape, frame.width(), frame.height(), p.side(), p.scale(),
                    System.nanoTime() - start);
        } catch (OrtException ex) {
            throw new InferenceException("TSR-0341: model " + model.name() + ": encoder failed: " + ex.getMessage(), ex);
        } finally {
            model.deviceSlots().release();
        }
    }

    private PromptMask decode(FrameEmbedding e, Prompt prompt, boolean cached) throws InferenceException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[][] pts = prompt.feeds(e.scale());
        int n = pts[1].length;
        Map<String, String> in = decoder.inputs();
        Map<String, OnnxTensor> feeds = new HashMap<>();
        long start = System.nanoTime();
        model.deviceSlots().acquireUninterruptibly();
        try {
            feeds.put(in.get("image_embeddings"), OnnxTensor.createTensor(env, FloatBuffer.wrap(e.values()), e.shape()));
            feeds.put(in.get("point_coords"), OnnxTensor.createTensor(env, FloatBuffer.wrap(pts[0]), new long[] {1, n, 2}));
            feeds.put(in.get("point_labels"), OnnxTensor.createTensor(env, FloatBuffer.wrap(pts[1]), new long[] {1, n}));
            int maskValues = (int) (maskInputShape[2] * maskInputShape[3]);
            feeds.put(in.get("mask_input"), OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[maskValues]), maskInputShape));
            feeds.put(in.get("has_mask_input"), OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {0}), new long[] {1}));
            feeds.put(in.get("orig_im_size"), OnnxTensor.createTensor(env,
                    FloatBuffer.wrap(new float[] {e.height(), e.width()}), new long[] {2}));
            try (OrtSession.Result r = model.session(PromptableContract.DECODER).run(feeds)) {
                OnnxTensor masks = (OnnxTensor) r.get(decoder.outputs().get("masks")).orElseThrow();
                OnnxTensor iou = (OnnxTensor) r.get(decoder.outputs().get("iou_predictions")).orElseThrow();
                long[] ms = masks.getInfo().getShape();
                FloatBuffer mb = masks.getFloatBuffer();
                FloatBuffer ib = iou.getFloatBuffer();
                if (ms.length != 4 || ms[2] * ms[3] > mb.remaining() || ib.remaining() < 1) {
                    throw new InferenceException("TSR-0343: model " + model.name() + ": decoder returned masks "
                            + java.util.Arrays.toString(ms) + " and " + ib.remaining() + " IoU value(s)");
                }
                // SAM's export with one mask per prompt; of several (multimask output) the first is the single-mask answer
                float[] logits = new float[(int) (ms[2] * ms[3])];
                mb.get(logits);
                byte[] mask = MaskMapper.toFrame(logits, (int) ms[3], (int) ms[2], e.width(), e.height(), e.side(), e.scale(),
                        model.manifest().output().threshold());
                return new PromptMask(e.width(), e.height(), mask, ib.get(0), cached ? 0 : e.encoderNanos(),
                        System.nanoTime() - start, cached);
            }
        } catch (OrtException ex) {
            throw new InferenceException("TSR-0342: model " + model.name() + ": decoder failed: " + ex.getMessage(), ex);
        } finally {
            feeds.values().forEach(OnnxTensor::close);
            model.deviceSlots().release();
        }
    }

    /** [1, 1, H, W] of the decoder's mask prompt input: fixed dims from the graph, SAM's 256 where dynamic. */
    private long[] maskInputShape() {
        try {
            ai.onnxruntime.NodeInfo node = model.session(PromptableContract.DECODER).getInputInfo().get(decoder.inputs().get("mask_input"));
            long[] s = ((ai.onnxruntime.TensorInfo) node.getInfo()).getShape().clone();
            s[0] = 1;
            s[1] = 1;
            if (s[2] <= 0) s[2] = DEFAULT_MASK_INPUT;
            if (s[3] <= 0) s[3] = DEFAULT_MASK_INPUT;
            return s;
        } catch (OrtException ex) {
            throw new IllegalStateException("TSR-0342: model " + model.name() + ": decoder metadata unreadable: " + ex.getMessage(), ex);
        }
    }
}
