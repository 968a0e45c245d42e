package io.tessera.core;

import java.util.ArrayList;
import java.util.List;

/**
 * A model's result for one source series: the label map on the source series' own grid, the labels the model
 * defines, and who made it.
 */
public record Segmentation(SourceSeries source, LabelMap labels, List<SegmentLabel> segments, ModelIdentity model) {
    public Segmentation {
        segments = List.copyOf(segments);
        if (!labels.grid().sameGeometry(source.volume().grid())) {
            throw new IllegalArgumentException("label map must be on the source grid");
        }
    }

    /** Per-segment voxel counts and volumes, in label order; segments absent from the map have zero voxels. */
    public List<SegmentStats> stats() {
        long[] h = labels.histogram();
        double ml = labels.grid().voxelVolumeMl();
        List<SegmentStats> out = new ArrayList<>();
        for (SegmentLabel s : segments) out.add(new SegmentStats(s, h[s.value()], h[s.value()] * ml));
        return out;
    }
}
