package io.tessera.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * Makes one unit-length vector of a phrase: tokenize ({@link HfTokenizer}), run the text encoder graph on the ids
 * (and the attention mask and token type ids where the graph takes them, as int64 or int32, whichever it declares),
 * pool the token states as declared ({@code none}: the graph already gives [1, D]; {@code mean}: the average over the
 * attention mask, sentence-transformers' pooling; {@code cls}: the first token's state), and scale to length 1, so a
 * dot product is a cosine similarity. Thread-safe when the session is; does not own the session or tokenizer.
 */
public final class TextEncoder {
    private final HfTokenizer tokenizer;
    private final OrtSession session;
    private final Map<String, String> slots;
    private final String output;
    private final String pooling;

    /**
     * @param slots Tessera's slot names ({@code input_ids}, {@code attention_mask}, {@code token_type_ids}) mapped to the
     *              graph's input names; only mapped slots are fed
     */
    public TextEncoder(HfTokenizer tokenizer, OrtSession session, Map<String, String> slots, String output, String pooling) {
        this.tokenizer = tokenizer;
        this.session = session;
        this.slots = Map.copyOf(slots);
        this.output = output;
        this.pooling = pooling;
    }

    public float[] embed(String phrase) throws InferenceException {
        HfTokenizer.Encoded e = tokenizer.encode(phrase);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, OnnxTensor> feed = new HashMap<>();
        try {
            for (Map.Entry<String, String> slot : slots.entrySet()) {
                long[] values = switch (slot.getKey()) {
                    case "input_ids" -> e.ids();
                    case "attention_mask" -> e.attentionMask();
                    case "token_type_ids" -> e.typeIds();
                    default -> throw new IllegalArgumentException("unknown text slot " + slot.getKey());
                };
                feed.put(slot.getValue(), tensor(env, slot.getValue(), values));
            }
            try (OrtSession.Result r = session.run(feed)) {
                OnnxTensor out = (OnnxTensor) r.get(output).orElseThrow(() -> new InferenceException(
                        "TSR-0364: the text encoder gave no output '" + output + "'"));
                long[] shape = out.getInfo().getShape();
                FloatBuffer fb = out.getFloatBuffer();
                float[] all = new float[fb.remaining()];
                fb.get(all);
                return unit(pool(all, shape, e.attentionMask()));
            }
        } catch (OrtException ex) {
            throw new InferenceException("TSR-0365: the text encoder failed: " + ex.getMessage(), ex);
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    private OnnxTensor tensor(OrtEnvironment env, String name, long[] values) throws OrtException {
        long[] shape = {1, values.length};
        NodeInfo node = session.getInputInfo().get(name);
        if (node != null && node.getInfo() instanceof TensorInfo t && t.type == OnnxJavaType.INT32) {
            int[] v = new int[values.length];
            for (int i = 0; i < v.length; i++) v[i] = Math.toIntExact(values[i]);
            return OnnxTensor.createTensor(env, IntBuffer.wrap(v), shape);
        }
        return OnnxTensor.createTensor(env, LongBuffer.wrap(values), shape);
    }

    /** One vector of the graph's output: [1, D] as is, or [1, T, D] pooled over the tokens. */
    float[] pool(float[] all, long[] shape, long[] mask) throws InferenceException {
        if ("none".equals(pooling)) {
            if (shape.length != 2 || shape[0] != 1) {
                throw new InferenceException("TSR-0366: pooling none needs a [1, D] text output, graph gave " + java.util.Arrays.toString(shape));
            }
            return all;
        }
        if (shape.length != 3 || shape[0] != 1 || shape[1] != mask.length) {
            throw new InferenceException("TSR-0366: pooling " + pooling + " needs a [1, tokens, D] text output for "
                    + mask.length + " tokens, graph gave " + java.util.Arrays.toString(shape));
        }
        int tokens = (int) shape[1];
        int d = (int) shape[2];
        float[] v = new float[d];
        if ("cls".equals(pooling)) {
            System.arraycopy(all, 0, v, 0, d);
            return v;
        }
        int counted = 0;
        for (int t = 0; t < tokens; t++) {
            if (mask[t] == 0) continue;
            counted++;
            for (int i = 0; i < d; i++) v[i] += all[t * d + i];
        }
        for (int i = 0; i < d; i++) v[i] /= Math.max(1, counted);
        return v;
    }

    /** {@code v} scaled to length 1 (a zero vector stays zero: it then matches nothing). */
    static float[] unit(float[] v) {
        double sum = 0;
        for (float x : v) sum += (double) x * x;
        double norm = Math.sqrt(sum);
        if (norm == 0 || !Double.isFinite(norm)) return v;
        for (int i = 0; i < v.length; i++) v[i] = (float) (v[i] / norm);
        return v;
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (double) a[i] * b[i];
        return s;
    }
}
