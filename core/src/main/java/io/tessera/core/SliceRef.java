package io.tessera.core;

import java.nio.file.Path;

/**
 * One source image behind slice {@code k} of a volume: its SOP identity, its Image Position Patient exactly
 * as the file wrote it (so derived objects can copy the string), the spooled file, and, for a frame of a multi-frame
 * instance, its 1-based frame number ({@code 0} for a single-frame instance).
 */
public record SliceRef(String sopClassUid, String sopInstanceUid, String imagePositionPatient, Path file, int frameNumber) {
    public SliceRef {
        if (frameNumber < 0) throw new IllegalArgumentException("frame number must be 0 (single frame) or from 1");
    }

    /** A single-frame instance. */
    public SliceRef(String sopClassUid, String sopInstanceUid, String imagePositionPatient, Path file) {
        this(sopClassUid, sopInstanceUid, imagePositionPatient, file, 0);
    }

    public boolean isFrameOfMultiFrame() {
        return frameNumber > 0;
    }
}
