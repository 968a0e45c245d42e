package io.tessera.inference;

/**
 * {@code exp} in float precision, about 3x cheaper than {@link Math#exp}: activations evaluate it for every voxel
 * of every channel of every patch, which made it the largest cost outside the model. 2^x is split into 2^i (built
 * in the exponent bits) and 2^f, f in [0, 1), by a degree-7 polynomial; relative error below
 * 1e-5 (below 2e-6 for the |x| < 20 that softmax of logits sees; float itself resolves 1.2e-7). Inputs are
 * clamped to [-87, 88] (results below ~1.6e-38 become 0, as softmax cannot tell them apart anyway).
 */
final class FastExp {
    private static final float LOG2E = 1.4426950408889634f;

    static float exp(float x) {
        float t = Math.max(-87f, Math.min(88f, x)) * LOG2E;
        float fi = (float) Math.floor(t);
        float f = t - fi;
        // Taylor series of 2^f on [0, 1): ln2^k / k!, k = 7 .. 0
        float p = 1.5252734e-5f;
        p = p * f + 1.5403530e-4f;
        p = p * f + 1.3333558e-3f;
        p = p * f + 9.6181291e-3f;
        p = p * f + 5.5504109e-2f;
        p = p * f + 2.4022651e-1f;
        p = p * f + 6.9314718e-1f;
        p = p * f + 1f;
        int i = (int) fi;
        if (i < -126) return 0f;
        return p * Float.intBitsToFloat((i + 127) << 23);
    }

    private FastExp() {}
}
