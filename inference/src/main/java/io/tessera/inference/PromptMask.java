package io.tessera.inference;

/**
 * The answer to one prompt: a binary mask on the frame's own pixels ({@code width × height}, x fastest, 1 inside),
 * the model's own IoU estimate for it, and what it cost: the encoder's time (0 when the frame's embedding was cached)
 * and the decoder's.
 */
public record PromptMask(int width, int height, byte[] mask, float iou, long encoderNanos, long decoderNanos,
                         boolean embeddingCached) {
    public boolean inside(int x, int y) {
        return mask[y * width + x] != 0;
    }

    public int area() {
        int n = 0;
        for (byte b : mask) n += b;
        return n;
    }
}
