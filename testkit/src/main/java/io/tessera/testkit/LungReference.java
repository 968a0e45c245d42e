package io.tessera.testkit;

import java.util.ArrayDeque;

/**
 * A simple reference lung on a real CT slice, for judging a promptable model's mask: pixels below −400 HU
 * 4-connected to a seed in the lung (inside the body, so the component must not touch the border), its bounding box,
 * and Dice of a mask against it restricted to the prompt's box.
 */
public final class LungReference {
    private LungReference() {}

    /** Pixels below −400 HU 4-connected to the seed. */
    public static byte[] airComponent(float[] hu, int w, int h, int sx, int sy) {
        byte[] in = new byte[w * h];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        if (hu[sy * w + sx] < -400) {
            in[sy * w + sx] = 1;
            queue.add(sy * w + sx);
        }
        while (!queue.isEmpty()) {
            int p = queue.poll(), x = p % w, y = p / w;
            int[] next = {x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, y > 0 ? p - w : -1, y < h - 1 ? p + w : -1};
            for (int q : next) {
                if (q >= 0 && in[q] == 0 && hu[q] < -400) {
                    in[q] = 1;
                    queue.add(q);
                }
            }
        }
        return in;
    }

    public static int[] bounds(byte[] m, int w, int h) {
        int[] b = {w, h, -1, -1};
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (m[y * w + x] == 0) continue;
                b[0] = Math.min(b[0], x);
                b[1] = Math.min(b[1], y);
                b[2] = Math.max(b[2], x);
                b[3] = Math.max(b[3], y);
            }
        }
        return b;
    }

    /** Dice of the model's mask (whole frame) and the reference restricted to the box [x0, x1) × [y0, y1). */
    public static double dice(byte[] mask, byte[] reference, int w, int x0, int y0, int x1, int y1) {
        long both = 0, a = 0, r = 0;
        for (int i = 0; i < mask.length; i++) {
            int x = i % w, y = i / w;
            boolean ref = reference[i] != 0 && x >= x0 && x < x1 && y >= y0 && y < y1;
            if (mask[i] != 0) a++;
            if (ref) r++;
            if (ref && mask[i] != 0) both++;
        }
        return 2.0 * both / (a + r);
    }

    public static int count(byte[] m) {
        int n = 0;
        for (byte b : m) n += b;
        return n;
    }
}
