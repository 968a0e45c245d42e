package io.tessera.grounding;

/**
 * A lesion candidate inside an organ region: its voxels (indices on the source grid), size and position.
 *
 * @param equivalentDiameterMm diameter of the sphere of the same volume
 * @param maxDiameterMm        largest distance between two voxel centres plus one voxel (mean spacing)
 * @param centroidLps          centre of mass in patient space
 * @param meanHu               mean attenuation of its voxels
 * @param contrastSigmas       |mean HU − organ median| in organ sigmas
 */
record Candidate(int[] voxels, double volumeMl, double equivalentDiameterMm, double maxDiameterMm, double[] centroidLps,
                 double[] bboxMinLps, double[] bboxMaxLps, double meanHu, double contrastSigmas) {
}
