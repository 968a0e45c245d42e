package io.tessera.grounding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tessera.core.Assertion;
import io.tessera.core.Code;
import io.tessera.core.Grid;
import io.tessera.core.GroundedFinding;
import io.tessera.core.LabelMap;
import io.tessera.core.Laterality;
import io.tessera.core.ReportFinding;
import org.junit.jupiter.api.Test;

/** The parts of the promptable redraw that need no model: the per-slice boxes and the plausibility judgement. */
class PromptRefinerTest {
    private static final Grid GRID = Grid.axial(10, 10, 4, new double[] {0, 0, 0}, new double[] {2, 2, 5});

    @Test
    void each_slice_gets_its_own_box_of_the_region() {
        byte[] m = new byte[GRID.voxelCount()];
        m[GRID.index(4, 4, 1)] = 1;
        m[GRID.index(3, 5, 2)] = 1;
        m[GRID.index(6, 4, 2)] = 1;
        SliceBoxes b = SliceBoxes.of(new LabelMap(GRID, m));
        assertEquals(1, b.firstSlice());
        assertEquals(2, b.lastSlice());
        assertArrayEquals(new int[] {4, 4, 4, 4}, b.box(1));
        assertArrayEquals(new int[] {3, 4, 6, 5}, b.box(2));
        assertNull(b.box(0));
    }

    @Test
    void a_model_mask_far_larger_than_the_stated_size_or_empty_is_not_used() {
        GroundedFinding rule = finding(10, 0.5);
        byte[] empty = new byte[GRID.voxelCount()];
        assertEquals("empty on every slice", PromptRefiner.implausible(rule, empty, GRID));
        byte[] some = new byte[GRID.voxelCount()];
        for (int x = 0; x < 25; x++) some[x] = 1; // 25 voxels of 0.02 ml: 0.5 ml, as the rule region
        assertNull(PromptRefiner.implausible(rule, some, GRID));
        assertEquals("equivalent diameter 10 mm for a stated 4 mm", PromptRefiner.implausible(finding(4, 0.5), some, GRID));
        assertEquals("5.00 x the rule region's volume", PromptRefiner.implausible(finding(10, 0.1), some, GRID));
    }

    private static GroundedFinding finding(double statedMm, double volumeMl) {
        ReportFinding f = new ReportFinding(1, "A " + statedMm + " mm liver lesion.", Code.sct("52988006", "Lesion"),
                Code.sct("10200004", "Liver"), Laterality.UNSPECIFIED, Assertion.PRESENT, new double[] {statedMm});
        return new GroundedFinding(f, "Finding 1", "2.25.1", true, null, LabelMap.empty(GRID), null, null, 0.9, volumeMl, 8,
                Grounder.METHOD);
    }
}
