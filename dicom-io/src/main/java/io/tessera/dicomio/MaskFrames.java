package io.tessera.dicomio;

import io.tessera.core.Grid;
import io.tessera.core.LabelMap;
import java.util.ArrayList;
import java.util.List;

/**
 * Frames of a binary SEG whose segments each have their own mask (non-zero = inside), so segments may overlap — two
 * report findings can describe the same lesion, or an organ-level finding can contain a lesion one. Same frame order
 * and bit packing as {@link SegFrames}: by segment then slice, LSB first, no per-frame padding.
 */
final class MaskFrames {
    private MaskFrames() {}

    static List<SegFrames.Frame> frames(List<LabelMap> masks) {
        List<SegFrames.Frame> frames = new ArrayList<>();
        for (int s = 0; s < masks.size(); s++) {
            LabelMap m = masks.get(s);
            Grid g = m.grid();
            int plane = g.nx() * g.ny();
            byte[] v = m.labels();
            for (int k = 0; k < g.nz(); k++) {
                int base = k * plane;
                for (int p = 0; p < plane; p++) {
                    if (v[base + p] != 0) {
                        frames.add(new SegFrames.Frame(s + 1, 1, k));
                        break;
                    }
                }
            }
        }
        if (frames.isEmpty()) frames.add(new SegFrames.Frame(1, -1, 0));
        return frames;
    }

    static byte[] pack(List<LabelMap> masks, List<SegFrames.Frame> frames) {
        Grid g = masks.get(0).grid();
        int plane = g.nx() * g.ny();
        long bytes = ((long) plane * frames.size() + 7) / 8;
        if (bytes % 2 == 1) bytes++;
        if (bytes > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("SEG pixel data exceeds 2 GB");
        byte[] out = new byte[(int) bytes];
        long bit = 0;
        for (SegFrames.Frame f : frames) {
            byte[] v = masks.get(f.segmentNumber() - 1).labels();
            int base = f.k() * plane;
            for (int p = 0; p < plane; p++, bit++) {
                if (f.labelValue() > 0 && v[base + p] != 0) out[(int) (bit >>> 3)] |= (byte) (1 << (bit & 7));
            }
        }
        return out;
    }
}
