package io.tessera.inference;

/**
 * Brings a decoder's mask logits back onto the frame. SAM's ONNX decoder does it itself when given
 * {@code orig_im_size} (its masks come out at the frame's size: only the threshold is left); a decoder that
 * returns masks on the model's padded square (any resolution, e.g. SAM's 256² low-resolution masks) is cropped to
 * the resized image and sampled bilinearly at each frame pixel's centre, which is what SAM's own post-processing does.
 */
final class MaskMapper {

    /**
     * @param logits mask logits, {@code mw × mh}, x fastest
     * @param side   the model's square input side; {@code scale} the frame → model scale
     */
    static byte[] toFrame(float[] logits, int mw, int mh, int width, int height, int side, double scale, double threshold) {
        byte[] out = new byte[width * height];
        if (mw == width && mh == height) {
            for (int i = 0; i < out.length; i++) out[i] = (byte) (logits[i] > threshold ? 1 : 0);
            return out;
        }
        double kx = mw / (double) side, ky = mh / (double) side; // model pixels → mask pixels
        for (int y = 0; y < height; y++) {
            double my = Math.min(mh - 1, Math.max(0, (y + 0.5) * scale * ky - 0.5));
            int y0 = (int) my, y1 = Math.min(mh - 1, y0 + 1);
            double ty = my - y0;
            for (int x = 0; x < width; x++) {
                double mx = Math.min(mw - 1, Math.max(0, (x + 0.5) * scale * kx - 0.5));
                int x0 = (int) mx, x1 = Math.min(mw - 1, x0 + 1);
                double tx = mx - x0;
                double v = (logits[y0 * mw + x0] * (1 - tx) + logits[y0 * mw + x1] * tx) * (1 - ty)
                        + (logits[y1 * mw + x0] * (1 - tx) + logits[y1 * mw + x1] * tx) * ty;
                out[y * width + x] = (byte) (v > threshold ? 1 : 0);
            }
        }
        return out;
    }

    private MaskMapper() {}
}
