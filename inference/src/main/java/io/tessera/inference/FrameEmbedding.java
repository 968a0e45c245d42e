package io.tessera.inference;

/**
 * What the encoder made of one frame: the embedding tensor ({@code values} with {@code shape}), the frame's size
 * and the scale its prompts are transformed by, and the encoder's time. Immutable; shared by every prompt on the frame.
 */
record FrameEmbedding(String key, float[] values, long[] shape, int width, int height, int side, double scale,
                      long encoderNanos) {}
