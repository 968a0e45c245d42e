package io.tessera.inference;

import io.tessera.core.Classification;
import io.tessera.core.SliceRef;

/** Classifies single-frame images, one at a time: per label a probability and the threshold decision. */
public interface ImageClassifier extends AutoCloseable {
    /** The classification of {@code frame}, which is the image {@code image} names. */
    Classification classify(FrameImage frame, SliceRef image) throws InferenceException;

    @Override
    default void close() {}
}
