package io.tessera.core;

/** Size of one segment of a result: voxels and volume in millilitres. */
public record SegmentStats(SegmentLabel label, long voxels, double volumeMl) {}
