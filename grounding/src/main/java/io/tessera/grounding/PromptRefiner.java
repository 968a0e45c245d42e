package io.tessera.grounding;

import io.tessera.core.Grid;
import io.tessera.core.GroundedFinding;
import io.tessera.core.LabelMap;
import io.tessera.core.ModelIdentity;
import io.tessera.core.Volume;
import io.tessera.inference.FrameImage;
import io.tessera.inference.InferenceException;
import io.tessera.inference.Prompt;
import io.tessera.inference.PromptMask;
import io.tessera.inference.PromptableSegmenter;
import io.tessera.inference.SlicePrompts;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redraws each grounded finding's outline with a promptable (SAM-family) model, slice by slice: the rules choose
 * <em>which</em> lesion a sentence means, the model draws <em>where its edge is</em>. On every slice the rule-grown
 * region touches, the prompt is that slice's own box of the region (patient coordinates, turned into pixels by
 * {@link SlicePrompts}) widened by {@link #MARGIN_PX}; one decoder run per slice, the encoder once per slice (the
 * segmenter caches embeddings by frame key, so two findings on one slice share it). The model's answer is kept inside
 * its prompt box: a box says "the object in here", and what leaks outside it is another structure.
 *
 * <p>Why a box per slice and not the finding's 3D box projected on every slice: a lesion's cross-section shrinks
 * towards its poles, and a SAM-family model fills the box it is given, so the projected box would swell the end slices
 * up to the lesion's full diameter.
 *
 * <p>The rule mask is kept, and the method says why, when the model's mask is empty on every slice, or implausible:
 * an equivalent diameter over {@link #MAX_SIZE_RATIO} × the stated size, or a volume outside
 * [{@link #MIN_VOLUME_RATIO}, {@link #MAX_VOLUME_RATIO}] × the rule region's. Ungrounded findings pass unchanged.
 */
public final class PromptRefiner {
    private static final Logger log = LoggerFactory.getLogger(PromptRefiner.class);
    /** One pixel around the region's own extent: the box must not cut the edge the model is asked to find. */
    static final int MARGIN_PX = 1;
    static final double MAX_SIZE_RATIO = 2.0;
    static final double MIN_VOLUME_RATIO = 0.25, MAX_VOLUME_RATIO = 4.0;
    private final PromptableSegmenter segmenter;
    private final String model;

    public PromptRefiner(PromptableSegmenter segmenter, ModelIdentity model) {
        this.segmenter = segmenter;
        this.model = model.name() + " " + model.version();
    }

    /** The method of a refined mask, as SEG, SR and FHIR record it. */
    public String refinedMethod() {
        return "promptable:" + model + " (box per slice from " + Grounder.METHOD + ")";
    }

    /**
     * Every finding, grounded ones redrawn where the model's mask is plausible. {@code frameKey} names slice k for the
     * embedding cache (the source image's SOP Instance UID: two frames with one key must hold the same pixels).
     */
    public List<GroundedFinding> refine(Volume ct, List<GroundedFinding> findings, IntFunction<String> frameKey)
            throws InferenceException {
        List<GroundedFinding> out = new ArrayList<>();
        for (GroundedFinding g : findings) {
            if (!g.grounded()) {
                out.add(g);
                continue;
            }
            GroundedFinding r = refine(ct, g, frameKey);
            if (r.method().startsWith("promptable:")) {
                log.info("{}: outline redrawn by {} ({} voxels, rule region {})", g.trackingId(), model,
                        count(r.mask()), count(g.mask()));
            } else {
                log.info("TSR-0456: {}: rule-grown outline kept: {}", g.trackingId(), r.method());
            }
            out.add(r);
        }
        return out;
    }

    /** One grounded finding: its model outline, or the rule one with the reason in its method. */
    public GroundedFinding refine(Volume ct, GroundedFinding g, IntFunction<String> frameKey) throws InferenceException {
        Grid grid = ct.grid();
        SliceBoxes boxes = SliceBoxes.of(g.mask());
        byte[] drawn = new byte[grid.voxelCount()];
        for (int k = boxes.firstSlice(); k <= boxes.lastSlice(); k++) {
            int[] b = boxes.box(k);
            if (b == null) continue;
            int x0 = Math.max(0, b[0] - MARGIN_PX), y0 = Math.max(0, b[1] - MARGIN_PX);
            int x1 = Math.min(grid.nx() - 1, b[2] + MARGIN_PX), y1 = Math.min(grid.ny() - 1, b[3] + MARGIN_PX);
            // The box's corners are the outer pixel edges, in patient space, as a finding's box is stated.
            double[] a = grid.toPatient(x0 - 0.5, y0 - 0.5, k), c = grid.toPatient(x1 + 0.5, y1 + 0.5, k);
            Prompt prompt = SlicePrompts.box(grid, k, a, c);
            PromptMask m = segmenter.segment(FrameImage.ofSlice(ct, k, frameKey.apply(k)), prompt);
            for (int y = y0; y <= y1; y++) {
                for (int x = x0; x <= x1; x++) if (m.inside(x, y)) drawn[grid.index(x, y, k)] = 1;
            }
        }
        String refused = implausible(g, drawn, grid);
        if (refused != null) {
            return new GroundedFinding(g.finding(), g.trackingId(), g.trackingUid(), true, null, g.mask(), g.bboxMinLps(),
                    g.bboxMaxLps(), g.confidence(), g.volumeMl(), g.maxDiameterMm(),
                    g.method() + " (promptable:" + model + " not used: " + refused + ")");
        }
        Extent e = Extent.of(grid, drawn);
        return new GroundedFinding(g.finding(), g.trackingId(), g.trackingUid(), true, null, new LabelMap(grid, drawn),
                e.min(), e.max(), g.confidence(), e.voxels() * grid.voxelVolumeMl(), e.maxDiameterMm(), refinedMethod());
    }

    /** Why the model's mask cannot stand for the finding, or null when it can. */
    static String implausible(GroundedFinding g, byte[] drawn, Grid grid) {
        long n = 0;
        for (byte b : drawn) n += b;
        if (n == 0) return "empty on every slice";
        double volume = n * grid.voxelVolumeMl();
        double ratio = volume / Math.max(g.volumeMl(), grid.voxelVolumeMl());
        if (ratio > MAX_VOLUME_RATIO || ratio < MIN_VOLUME_RATIO) {
            return String.format(Locale.ROOT, "%.2f x the rule region's volume", ratio);
        }
        double stated = g.finding().largestSizeMm();
        double diameter = Math.cbrt(6 * volume * 1000 / Math.PI);
        if (!Double.isNaN(stated) && stated > 0 && diameter > MAX_SIZE_RATIO * stated) {
            return String.format(Locale.ROOT, "equivalent diameter %.0f mm for a stated %.0f mm", diameter, stated);
        }
        return null;
    }

    private static long count(LabelMap m) {
        long n = 0;
        for (byte b : m.labels()) if (b != 0) n++;
        return n;
    }
}
