package io.tessera.inference;

import io.tessera.core.Grid;
import java.util.Random;

/** Scratch microbenchmark (not committed). */
public class ScratchPost {
    public static void main(String[] a) throws Exception {
        Grid src = Grid.axial(512, 512, 300, new double[] {0, 0, 0}, new double[] {0.75, 0.75, 1.0});
        Grid low = Resampler.modelGrid(src, new double[] {4, 4, 4});
        int ch = 9, n = low.voxelCount();
        Random r = new Random(1);
        double[][] centre = new double[ch][3];
        double[] rad = new double[ch];
        for (int c = 1; c < ch; c++) { for (int k = 0; k < 3; k++) centre[c][k] = 0.25 + 0.5 * r.nextDouble(); rad[c] = 0.08 + 0.2 * r.nextDouble(); }
        float[] out = new float[ch * n];
        for (int k = 0; k < low.nz(); k++) for (int j = 0; j < low.ny(); j++) for (int i = 0; i < low.nx(); i++) {
            int v = low.index(i, j, k);
            double x = (i + .5) / low.nx(), y = (j + .5) / low.ny(), z = (k + .5) / low.nz();
            out[v] = 0f;
            for (int c = 1; c < ch; c++) {
                double d = Math.sqrt(Math.pow(x - centre[c][0], 2) + Math.pow(y - centre[c][1], 2) + Math.pow(z - centre[c][2], 2));
                out[c * n + v] = (float) (8 * (rad[c] - d) / rad[c] + 0.3 * r.nextGaussian());
            }
        }
        int[] patch = {low.nz(), low.ny(), low.nx()};
        float[] weights = new float[n];
        java.util.Arrays.fill(weights, 1f);
        for (int round = 0; round < 45; round++) {
            ProbabilityAccumulator acc = new ProbabilityAccumulator(low.nx(), low.ny(), low.nz(), ch);
            acc.add(out, 0, new int[] {0, 0, 0}, patch, weights);
            long t0 = System.nanoTime();
            byte[] arg = acc.finish();
            long t1 = System.nanoTime();
            float[] p = acc.probabilities(arg, null, "softmax");
            long t2 = System.nanoTime();
            byte[] labels = ProbabilityToLabels.argmax(p, ch, arg, low, src);
            long t3 = System.nanoTime();
            long[] h = new long[ch];
            if (round == 0) { for (byte b : labels) h[b]++; System.out.println(java.util.Arrays.toString(h)); }
            System.out.printf("finish %.1f activate %.1f toSource %.1f%n", (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6);
        }
    }
}
