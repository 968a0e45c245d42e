package io.tessera.dicomio;

import io.tessera.core.Grid;
import io.tessera.core.LabelMap;
import io.tessera.core.SegmentLabel;
import java.util.ArrayList;
import java.util.List;

/**
 * The frames of a binary SEG: one per (segment, slice) that has at least one voxel, ordered by segment then slice, and
 * their pixels packed bit-contiguously LSB first with no per-frame padding (per-frame padding shears masks
 * when rows×columns is not a multiple of 8); only the total is padded to an even length.
 */
final class SegFrames {
    /** A frame: segment number (1-based) and slice index k (0-based) of the source grid. */
    record Frame(int segmentNumber, int labelValue, int k) {}

    private SegFrames() {}

    /**
     * Non-empty frames. When the label map holds none of the segments, one empty frame (segment 1, slice 0) is returned so
     * the object stays valid (Number of Frames and Pixel Data are type 1): readers then decode an empty segmentation.
     */
    static List<Frame> frames(LabelMap map, List<SegmentLabel> segments) {
        Grid g = map.grid();
        int plane = g.nx() * g.ny();
        boolean[][] present = new boolean[256][g.nz()];
        byte[] labels = map.labels();
        for (int k = 0; k < g.nz(); k++) {
            int base = k * plane;
            for (int p = 0; p < plane; p++) present[labels[base + p] & 0xff][k] = true;
        }
        List<Frame> frames = new ArrayList<>();
        for (int s = 0; s < segments.size(); s++) {
            int value = segments.get(s).value();
            for (int k = 0; k < g.nz(); k++) if (present[value][k]) frames.add(new Frame(s + 1, value, k));
        }
        if (frames.isEmpty()) frames.add(new Frame(1, -1, 0));
        return frames;
    }

    static byte[] pack(LabelMap map, List<Frame> frames) {
        Grid g = map.grid();
        int plane = g.nx() * g.ny();
        long bits = (long) plane * frames.size();
        long bytes = (bits + 7) / 8;
        if (bytes % 2 == 1) bytes++;
        if (bytes > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("SEG pixel data exceeds 2 GB");
        byte[] out = new byte[(int) bytes];
        byte[] labels = map.labels();
        long bit = 0;
        for (Frame f : frames) {
            int base = f.k() * plane;
            byte v = (byte) f.labelValue();
            for (int p = 0; p < plane; p++, bit++) {
                if (f.labelValue() > 0 && labels[base + p] == v) out[(int) (bit >>> 3)] |= (byte) (1 << (bit & 7));
            }
        }
        return out;
    }
}
