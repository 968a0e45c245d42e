package io.tessera.testkit.phantom;

/**
 * What phantom to generate: the seed fixes anatomy jitter, lesions and noise; the grid is axial, centred on the torso.
 *
 * @param seed           drives every random choice; same spec, same voxels
 * @param nx             columns (patient left-right, LPS +x = patient left)
 * @param ny             rows (anterior-posterior)
 * @param nz             slices (inferior to superior, ascending z)
 * @param pixelSpacingMm in-plane spacing
 * @param sliceSpacingMm slice spacing (= slice thickness; slices are contiguous)
 * @param lesionCount    0..3 lesions in liver, lungs, kidneys or spleen
 * @param noiseHu        standard deviation of the additive Gaussian noise in HU
 * @param supersample    sub-samples per axis averaged for the HU of one voxel (1 = point sampling, 2 = 8 sub-samples)
 */
public record PhantomSpec(long seed, int nx, int ny, int nz, double pixelSpacingMm, double sliceSpacingMm,
                          int lesionCount, double noiseHu, int supersample) {

    public static final double DEFAULT_NOISE_HU = 12.0;

    public PhantomSpec {
        if (nx <= 0 || ny <= 0 || nz <= 0) throw new IllegalArgumentException("TSR-0901: grid size must be positive");
        if (!(pixelSpacingMm > 0) || !(sliceSpacingMm > 0)) throw new IllegalArgumentException("TSR-0902: spacing must be positive");
        if (lesionCount < 0 || lesionCount > 3) throw new IllegalArgumentException("TSR-0903: lesionCount must be 0..3");
        if (noiseHu < 0) throw new IllegalArgumentException("TSR-0904: noiseHu must be >= 0");
        if (supersample < 1 || supersample > 3) throw new IllegalArgumentException("TSR-0905: supersample must be 1..3");
    }

    /** 128×128×64 at 3.0 mm pixels and 5.0 mm slices (384 mm field of view, 320 mm long), two lesions. */
    public static PhantomSpec small(long seed) {
        return new PhantomSpec(seed, 128, 128, 64, 3.0, 5.0, 2, DEFAULT_NOISE_HU, 2);
    }

    /** 512×512×300 at 0.75 mm pixels and 1.0 mm slices, three lesions; point sampled (voxels are fine enough). */
    public static PhantomSpec benchmark(long seed) {
        return new PhantomSpec(seed, 512, 512, 300, 0.75, 1.0, 3, DEFAULT_NOISE_HU, 1);
    }

    /** A grid of the given isotropic spacing covering the same 384 × 384 × 320 mm field of view (e.g. 4 mm for training). */
    public static PhantomSpec isotropic(long seed, double spacingMm, int lesionCount, double noiseHu, int supersample) {
        int n = (int) Math.ceil(384.0 / spacingMm);
        int nz = (int) Math.ceil(320.0 / spacingMm);
        return new PhantomSpec(seed, n, n, nz, spacingMm, spacingMm, lesionCount, noiseHu, supersample);
    }

    public PhantomSpec withLesionCount(int count) {
        return new PhantomSpec(seed, nx, ny, nz, pixelSpacingMm, sliceSpacingMm, count, noiseHu, supersample);
    }

    public PhantomSpec withNoise(double hu) {
        return new PhantomSpec(seed, nx, ny, nz, pixelSpacingMm, sliceSpacingMm, lesionCount, hu, supersample);
    }
}
