package io.tessera.core;

import java.nio.file.Path;

/**
 * One source image behind slice {@code k} of a volume: its SOP identity, its Image Position Patient exactly
 * as the file wrote it (so derived objects can copy the string), and the spooled file.
 */
public record SliceRef(String sopClassUid, String sopInstanceUid, String imagePositionPatient, Path file) {}
