package io.tessera.inference;

import io.tessera.core.LabelMap;
import io.tessera.core.ModelIdentity;
import java.util.Map;

/**
 * A label map on the input volume's own grid, who made it, and where the time went: {@code ortNanos} is the sum of
 * the model's own {@code session.run} calls, {@code stageNanos} the wall time of each of Tessera's steps (in order),
 * then {@code ort} (= ortNanos), {@code cpu:ort} and {@code cpu:total}: process CPU time inside the model runs and
 * over the whole job (all threads; meaningful when one job runs at a time), and {@code deviceWait}: time spent waiting
 * for a slot on the model's device before the job started (not part of {@code totalNanos}).
 */
public record SegmentationOutput(LabelMap labels, ModelIdentity model, int patches, long ortNanos, long totalNanos,
                                 Map<String, Long> stageNanos) {
    public SegmentationOutput {
        stageNanos = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(stageNanos));
    }

    /** Tessera's own cost (everything but the model runs) as a fraction of the model's time. */
    public double overheadRatio() {
        return ortNanos == 0 ? 0 : (double) (totalNanos - ortNanos) / ortNanos;
    }
}
