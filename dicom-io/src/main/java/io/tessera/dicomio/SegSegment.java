package io.tessera.dicomio;

import io.tessera.core.Code;

/** One segment as a SEG describes it (read back by {@link SegReader}). */
public record SegSegment(int number, String label, Code category, Code type, String algorithmType, String algorithmName) {}
