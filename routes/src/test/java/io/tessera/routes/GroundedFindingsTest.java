package io.tessera.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.core.Code;
import io.tessera.core.GroundedFinding;
import io.tessera.core.LabelMap;
import io.tessera.core.Grid;
import io.tessera.core.ReportFinding;
import io.tessera.listener.IndexDatabase;
import io.tessera.listener.IndexPool;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroundedFindingsTest {
    @TempDir Path dir;

    private static ReportFinding finding(int i, String phrase, Code site) {
        return new ReportFinding(i, phrase, Code.sct("27925004", "Nodule"), site, io.tessera.core.Laterality.UNSPECIFIED,
                io.tessera.core.Assertion.PRESENT, new double[] {8});
    }

    @Test
    void keeps_each_sentence_with_where_it_was_found_or_why_not_and_a_rerun_replaces_them() {
        try (IndexPool db = IndexTables.open(IndexDatabase.of("jdbc:h2:" + dir.resolve("index")), "test")) {
            GroundedFindings store = new GroundedFindings(db);
            LabelMap mask = new LabelMap(Grid.axial(2, 2, 1, new double[3], new double[] {1, 1, 1}), new byte[4]);
            GroundedFinding located = new GroundedFinding(finding(1, "8 mm nodule in the right lower lobe.",
                    Code.sct("266005", "Lower lobe of right lung")), "Finding 1: Nodule, right lower lobe", "2.25.1", true, null,
                    mask, new double[3], new double[3], 0.83, 0.27, 8.2, "segmentation+lesion");
            GroundedFinding missed = GroundedFinding.notGrounded(finding(2, "Small pleural effusion.", null),
                    "Finding 2: Effusion", "2.25.2", "not a focal finding");
            store.replace("1.2.3", 1, "1.2.3.4", List.of(located, missed), "2.25.99");
            List<GroundedFindings.Row> rows = store.forStudy("1.2.3", 1);
            assertEquals(2, rows.size());
            assertTrue(rows.get(0).grounded());
            assertEquals("8 mm nodule in the right lower lobe.", rows.get(0).phrase());
            assertEquals("Lower lobe of right lung", rows.get(0).site());
            assertEquals(8.2, rows.get(0).diameterMm(), 1e-9);
            assertFalse(rows.get(1).grounded());
            assertEquals("not a focal finding", rows.get(1).reason());
            assertNull(rows.get(1).site());
            assertEquals("2.25.99", rows.get(0).groundingSegSopUid());

            store.replace("1.2.3", 1, "1.2.3.4", List.of(missed), null);
            assertEquals(1, store.forStudy("1.2.3", 1).size(), "a re-run of the version replaces its rows");
            assertEquals(List.of(), store.forStudy("1.2.3", 2));
        }
    }
}
