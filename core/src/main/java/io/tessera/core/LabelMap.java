package io.tessera.core;

/** Integer labels (0 = background, 1..255 = segment values) on a {@link Grid}. */
public record LabelMap(Grid grid, byte[] labels) {
    public LabelMap {
        if (labels.length != grid.voxelCount()) {
            throw new IllegalArgumentException("labels " + labels.length + " != grid " + grid.voxelCount());
        }
    }

    public static LabelMap empty(Grid grid) {
        return new LabelMap(grid, new byte[grid.voxelCount()]);
    }

    public int get(int i, int j, int k) {
        return labels[grid.index(i, j, k)] & 0xff;
    }

    /** Voxel count per label value (index 0..255). */
    public long[] histogram() {
        long[] h = new long[256];
        for (byte b : labels) h[b & 0xff]++;
        return h;
    }

    /** Dice coefficient of label {@code value} between this map and {@code other} (same grid). 1.0 when both are empty. */
    public double dice(LabelMap other, int value) {
        return dice(other, value, value);
    }

    public double dice(LabelMap other, int value, int otherValue) {
        if (other.labels.length != labels.length) throw new IllegalArgumentException("label maps differ in size");
        long a = 0, b = 0, both = 0;
        for (int x = 0; x < labels.length; x++) {
            boolean p = (labels[x] & 0xff) == value;
            boolean q = (other.labels[x] & 0xff) == otherValue;
            if (p) a++;
            if (q) b++;
            if (p && q) both++;
        }
        return a + b == 0 ? 1.0 : 2.0 * both / (a + b);
    }
}
