package io.tessera.grounding;

/**
 * A lesion candidate inside an organ region: its voxels (indices on the source grid), size, position, tissue and
 * shape, which {@link CandidateJudge} weighs against what the report says.
 *
 * @param equivalentDiameterMm diameter of the sphere of the same volume
 * @param maxDiameterMm        largest distance between two voxel centres plus one voxel (mean spacing)
 * @param centroidLps          centre of mass in patient space
 * @param meanHu               mean attenuation of its voxels
 * @param contrastSigmas       |mean HU − organ median| in organ sigmas
 * @param bright               brighter than the organ (else darker)
 * @param coreHu               upper quartile of its HU when bright, lower quartile when dark: its tissue without the
 *                             partial-volume rim
 * @param peakHu               90th (bright) or 10th (dark) percentile: small dense foci are judged by it
 * @param elongation           square root of the largest over the smallest principal variance of its voxels (mm, each
 *                             voxel counted as its box): 1 for a ball, about L/(1.7·r) for a tube of length L
 */
record Candidate(int[] voxels, double volumeMl, double equivalentDiameterMm, double maxDiameterMm, double[] centroidLps,
                 double[] bboxMinLps, double[] bboxMaxLps, double meanHu, double contrastSigmas, boolean bright,
                 double coreHu, double peakHu, double elongation) {
    /** Equivalent over largest diameter: 1 for a ball, small for a tube or a sheet. */
    double compactness() {
        return maxDiameterMm <= 0 ? 1 : Math.min(1, equivalentDiameterMm / maxDiameterMm);
    }
}
