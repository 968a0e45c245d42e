package io.tessera.core;

import java.util.Objects;

/**
 * Scalar image on a {@link Grid}; for CT the values are Hounsfield units (rescale already applied).
 *
 * <p>A volume read from files may hold only where its values are ({@link Source}): a model that samples a few of them
 * (a 4 mm model grid reads about a fifth of a 0.75 mm CT's pixels) reads those slice by slice through
 * {@link #source()}, and the whole float array (314 MB for a 512×512×300 CT) is only made when something asks for
 * {@link #voxels()}, once, with the same values.
 */
public final class Volume {

    /** The values of a volume not held in memory: read from where they are stored, slice by slice or all at once. */
    public interface Source {
        /** Slice {@code k}, open until closed; its value at pixel {@code p = j * nx + i} equals {@code voxels()[k * nx * ny + p]}. */
        Slice slice(int k);

        /** As {@link #slice(int)} where only the values of rows {@code rowFrom .. rowTo} will be asked for. */
        default Slice slice(int k, int rowFrom, int rowTo) {
            return slice(k);
        }

        /** Writes every value into {@code voxels} (the grid's voxel count, slice k from {@code k * nx * ny}). */
        void readAll(float[] voxels);
    }

    /** One slice's values; reading failures surface as {@link java.io.UncheckedIOException}s naming the file. */
    public interface Slice extends AutoCloseable {
        float value(int p);

        @Override
        void close();
    }

    private final Grid grid;
    private final Source source;
    private volatile float[] voxels;

    public Volume(Grid grid, float[] voxels) {
        if (voxels.length != grid.voxelCount()) {
            throw new IllegalArgumentException("voxels " + voxels.length + " != grid " + grid.voxelCount());
        }
        this.grid = grid;
        this.voxels = voxels;
        this.source = null;
    }

    private Volume(Grid grid, Source source) {
        this.grid = grid;
        this.source = Objects.requireNonNull(source);
    }

    /** A volume whose values stay where {@code source} reads them until {@link #voxels()} is first called. */
    public static Volume onDemand(Grid grid, Source source) {
        return new Volume(grid, source);
    }

    public static Volume zeros(Grid grid) {
        return new Volume(grid, new float[grid.voxelCount()]);
    }

    public Grid grid() {
        return grid;
    }

    /** Every value in array order (x fastest); read in full on the first call for a volume made {@link #onDemand}. */
    public float[] voxels() {
        float[] v = voxels;
        if (v != null) return v;
        synchronized (this) {
            if (voxels == null) {
                float[] all = new float[grid.voxelCount()];
                source.readAll(all);
                voxels = all;
            }
            return voxels;
        }
    }

    /** Where the values can be read slice by slice without the whole array; null once they are in memory (use {@link #voxels()}). */
    public Source source() {
        return voxels != null ? null : source;
    }

    public float get(int i, int j, int k) {
        return voxels()[grid.index(i, j, k)];
    }

    @Override
    public String toString() {
        return "Volume[" + grid + (voxels != null ? "]" : ", on demand]");
    }
}
