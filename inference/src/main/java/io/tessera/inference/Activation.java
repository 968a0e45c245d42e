package io.tessera.inference;

import java.util.stream.IntStream;

/**
 * Softmax over channels, element-wise sigmoid, or nothing: per voxel ({@link #voxel}, used on the blended model
 * grid) or on an [N, C, voxels] buffer in place ({@link #apply}), which also checks that the model produced no NaN. Runs in parallel over fixed voxel chunks (each voxel's result is independent
 * of the split, so it stays deterministic).
 */
final class Activation {
    private static final int CHUNK = 8192;

    /** Activates in place; returns false if any output is NaN. */
    static boolean apply(String type, float[] out, int n, int channels, int voxels) {
        int chunks = (voxels + CHUNK - 1) / CHUNK;
        return IntStream.range(0, n * chunks).parallel().allMatch(task -> {
            int b = task / chunks, from = (task % chunks) * CHUNK, to = Math.min(voxels, from + CHUNK);
            return chunk(type, out, b * channels * voxels, channels, voxels, from, to);
        });
    }

    static final int NONE = 0, SOFTMAX = 1, SIGMOID = 2;
    /** e^-17 = 4.1e-8 < 2^-24: added to a sum of at least 1 (the winner's own e^0), a float cannot hold it. */
    private static final float NEGLIGIBLE = -17f;

    /** The activation named in a manifest as one of {@link #NONE}, {@link #SOFTMAX}, {@link #SIGMOID}. */
    static int kind(String type) {
        return switch (type) {
            case "softmax" -> SOFTMAX;
            case "sigmoid" -> SIGMOID;
            case "none" -> NONE;
            default -> throw new IllegalArgumentException("unknown activation " + type);
        };
    }

    /** Activates one voxel's channel values {@code v[at .. at + channels)} in place ({@code kind} from {@link #kind}). */
    static void voxel(int kind, float[] v, int at, int channels) {
        int end = at + channels;
        if (kind == SOFTMAX) {
            float max = Float.NEGATIVE_INFINITY;
            for (int c = at; c < end; c++) max = Math.max(max, v[c]);
            float sum = 0;
            for (int c = at; c < end; c++) {
                // below e^-17 a class's share is under float's resolution next to the winner's 1: exactly 0, no exp
                float d = v[c] - max;
                v[c] = d < NEGLIGIBLE ? 0f : FastExp.exp(d);
                sum += v[c];
            }
            float inv = 1f / sum;
            for (int c = at; c < end; c++) v[c] *= inv;
        } else if (kind == SIGMOID) {
            for (int c = at; c < end; c++) v[c] = 1f / (1f + FastExp.exp(-v[c]));
        }
    }

    private static boolean chunk(String type, float[] out, int base, int channels, int voxels, int from, int to) {
        for (int c = 0; c < channels; c++) {
            for (int v = base + c * voxels + from, end = base + c * voxels + to; v < end; v++) {
                if (Float.isNaN(out[v])) return false;
            }
        }
        switch (type) {
            case "softmax" -> {
                for (int v = from; v < to; v++) {
                    float max = Float.NEGATIVE_INFINITY;
                    for (int c = 0; c < channels; c++) max = Math.max(max, out[base + c * voxels + v]);
                    float sum = 0;
                    for (int c = 0; c < channels; c++) {
                        int i = base + c * voxels + v;
                        out[i] = FastExp.exp(out[i] - max);
                        sum += out[i];
                    }
                    float inv = 1f / sum;
                    for (int c = 0; c < channels; c++) out[base + c * voxels + v] *= inv;
                }
            }
            case "sigmoid" -> {
                for (int c = 0; c < channels; c++) {
                    for (int v = base + c * voxels + from, end = base + c * voxels + to; v < end; v++) {
                        out[v] = 1f / (1f + FastExp.exp(-out[v]));
                    }
                }
            }
            case "none" -> { }
            default -> throw new IllegalArgumentException("unknown activation " + type);
        }
        return true;
    }

    private Activation() {}
}
