package io.tessera.core;

/** Scalar image on a {@link Grid}; for CT the values are Hounsfield units (rescale already applied). */
public record Volume(Grid grid, float[] voxels) {
    public Volume {
        if (voxels.length != grid.voxelCount()) {
            throw new IllegalArgumentException("voxels " + voxels.length + " != grid " + grid.voxelCount());
        }
    }

    public static Volume zeros(Grid grid) {
        return new Volume(grid, new float[grid.voxelCount()]);
    }

    public float get(int i, int j, int k) {
        return voxels[grid.index(i, j, k)];
    }
}
