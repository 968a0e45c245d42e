package io.tessera.testkit.phantom;

/**
 * A spherical lesion placed fully inside one organ.
 *
 * @param index      1..n, the value of its voxels in {@link Phantom#lesionMap()}
 * @param organ      host organ label name (e.g. {@code liver}, {@code lung_right})
 * @param location   readable location used in the report (e.g. {@code right lower lobe})
 * @param centreMm   centre in patient space (LPS, mm)
 * @param diameterMm sphere diameter in mm
 * @param hu         attenuation of the lesion before noise
 * @param kind       noun used in the report (nodule, lesion, ...)
 */
public record Lesion(int index, String organ, String location, double[] centreMm, double diameterMm, float hu, String kind) {
    public Lesion {
        centreMm = centreMm.clone();
    }

    @Override
    public double[] centreMm() {
        return centreMm.clone();
    }

    public int organLabel() {
        return PhantomLabels.value(organ);
    }
}
