package io.tessera.inference;

/**
 * Importance of each voxel of a patch when windows overlap: a Gaussian centred on the patch with
 * sigma = patch/8 per axis (nnU-Net's choice; predictions near a patch border see less context), or constant.
 * Scaled to a maximum of 1 and floored at a small positive value so that every covered voxel has weight.
 */
final class BlendingWeights {

    static float[] of(int[] patchZyx, String blending) {
        int pz = patchZyx[0], py = patchZyx[1], px = patchZyx[2];
        float[] w = new float[pz * py * px];
        if ("constant".equals(blending)) {
            java.util.Arrays.fill(w, 1f);
            return w;
        }
        double[] gz = gauss(pz), gy = gauss(py), gx = gauss(px);
        int o = 0;
        for (int z = 0; z < pz; z++)
            for (int y = 0; y < py; y++)
                for (int x = 0; x < px; x++) w[o++] = (float) Math.max(1e-3, gz[z] * gy[y] * gx[x]);
        return w;
    }

    /** 1-D Gaussian with maximum 1 at the patch centre. */
    private static double[] gauss(int n) {
        double sigma = n / 8.0, c = (n - 1) / 2.0;
        double[] g = new double[n];
        for (int i = 0; i < n; i++) g[i] = Math.exp(-0.5 * (i - c) * (i - c) / (sigma * sigma));
        double max = 0;
        for (double v : g) max = Math.max(max, v);
        for (int i = 0; i < n; i++) g[i] /= max;
        return g;
    }

    private BlendingWeights() {}
}
