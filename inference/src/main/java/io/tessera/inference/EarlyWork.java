package io.tessera.inference;

import io.tessera.core.Grid;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * The parts of the model grid that no window left to run can touch: once the batches before them are blended, their
 * sums are final, and their argmax, activation and source-grid labels can be worked out on the core ONNX Runtime leaves
 * idle while the last batches run, instead of after them. Up to three parts, in this order: the first model slices
 * (windows run slowest along z), then the first rows of the other slices, then the first columns of what is left;
 * what remains after them is worked out once the model is done ({@link #rest}). The component filters, which need the
 * whole volume, come after everything: then only the cells with a removed corner are worked out again
 * ({@link ProbabilityAccumulator#activateAroundRemoved}, {@link ProbabilityToLabels#redoAroundRemoved}), which gives
 * exactly the labels of doing everything at the end.
 *
 * <p>Boxes are {z, y, x} ranges: of model nodes (argmax), of cells (activation; a cell spans two neighbouring nodes
 * along each axis) and of units (source slices, row groups and column groups, see {@link ProbabilityToLabels}).
 */
final class EarlyWork {

    /**
     * @param afterBatch the start index (in the window list) of the batch whose blend makes the part final
     * @param axis       0 z, 1 y, 2 x: the part is the first {@code nodes} along it (of what earlier parts left)
     * @param nodes      how many model nodes from the first along the axis are final
     * @param units      how many source units from the first along the axis use only those
     */
    record Part(int afterBatch, int axis, int nodes, int units) {}

    /** A {z, y, x} box: {@code from[a] .. to[a]} along each axis. */
    record Box(int[] from, int[] to) {
        boolean empty() {
            return from[0] >= to[0] || from[1] >= to[1] || from[2] >= to[2];
        }
    }

    private final List<Part> parts;
    private final int[] nodeCounts, cellCounts, unitCounts;

    private EarlyWork(List<Part> parts, Grid low, Grid src) {
        this.parts = List.copyOf(parts);
        this.nodeCounts = new int[] {low.nz(), low.ny(), low.nx()};
        this.cellCounts = new int[] {Math.max(1, low.nz() - 1), Math.max(1, low.ny() - 1), Math.max(1, low.nx() - 1)};
        this.unitCounts = new int[] {src.nz(), ProbabilityToLabels.groupsWithin(low, src, low.ny() + 1),
                ProbabilityToLabels.columnsWithin(low, src, low.nx() + 1)};
    }

    /** Nothing early: {@link #rest} is the whole grid. */
    static EarlyWork none(Grid low, Grid src) {
        return new EarlyWork(List.of(), low, src);
    }

    /** The plan for these windows (z slowest, then y, then x); no parts when none is final before the last batch. */
    static EarlyWork plan(List<int[]> windows, int batchSize, Grid low, Grid src) {
        List<Part> parts = new ArrayList<>();
        int n = windows.size(), after = 0;
        int[] size = {low.nz(), low.ny(), low.nx()};
        for (int axis = 0; axis < 3; axis++) {
            int[] minAfter = new int[n + 1]; // min start along the axis of windows i .. n
            minAfter[n] = Integer.MAX_VALUE;
            for (int i = n - 1; i >= 0; i--) minAfter[i] = Math.min(minAfter[i + 1], windows.get(i)[axis]);
            for (int start = after; start + batchSize < n; start += batchSize) {
                int nodes = Math.min(minAfter[start + batchSize], size[axis]);
                if (nodes >= 2) {
                    int units = switch (axis) {
                        case 0 -> ProbabilityToLabels.slicesWithin(low, src, nodes);
                        case 1 -> ProbabilityToLabels.groupsWithin(low, src, nodes);
                        default -> ProbabilityToLabels.columnsWithin(low, src, nodes);
                    };
                    if (units > 0) {
                        parts.add(new Part(start, axis, nodes, units));
                        after = start;
                    }
                    break;
                }
            }
        }
        return new EarlyWork(parts, low, src);
    }

    List<Part> parts() {
        return parts;
    }

    /** A view holding only the first {@code count} parts (those done; the rest is left for {@link #rest}). */
    EarlyWork first(int count) {
        return new EarlyWork(parts.subList(0, count), nodeCounts, cellCounts, unitCounts);
    }

    private EarlyWork(List<Part> parts, int[] nodeCounts, int[] cellCounts, int[] unitCounts) {
        this.parts = List.copyOf(parts);
        this.nodeCounts = nodeCounts;
        this.cellCounts = cellCounts;
        this.unitCounts = unitCounts;
    }

    /** Index {@code parts().size()}: what no part covers. */
    int rest() {
        return parts.size();
    }

    Box nodes(int part) {
        return box(part, nodeCounts, Part::nodes, 0);
    }

    Box cells(int part) {
        return box(part, cellCounts, Part::nodes, 1);
    }

    Box units(int part) {
        return box(part, unitCounts, Part::units, 0);
    }

    /** Beyond every earlier part along its axis; below this part's bound along its own (none for the rest). */
    private Box box(int part, int[] counts, ToIntFunction<Part> bound, int less) {
        int[] from = new int[3], to = counts.clone();
        for (int j = 0; j < part; j++) {
            Part p = parts.get(j);
            from[p.axis()] = Math.max(0, bound.applyAsInt(p) - less);
        }
        if (part < parts.size()) {
            Part p = parts.get(part);
            to[p.axis()] = Math.max(0, bound.applyAsInt(p) - less);
        }
        return new Box(from, to);
    }
}
