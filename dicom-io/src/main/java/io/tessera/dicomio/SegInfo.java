package io.tessera.dicomio;

/** What {@link SegWriter} wrote: identity of the SEG instance and its number of frames. */
public record SegInfo(String sopClassUid, String sopInstanceUid, String seriesInstanceUid, int frames) {}
