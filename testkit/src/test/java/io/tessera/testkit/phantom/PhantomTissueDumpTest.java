package io.tessera.testkit.phantom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training tissue map says the same as the generator's organ truth, voxel for voxel (lesions take their host). */
class PhantomTissueDumpTest {
    @Test
    void tissue_map_labels_match_the_generators_organ_truth(@TempDir Path dir) throws Exception {
        PhantomSpec spec = PhantomSpec.isotropic(4242L, 8.0, 3, 0, 1);
        Phantom p = PhantomGenerator.generate(spec);
        PhantomTissueDump.write(dir, 0, spec);
        byte[] tissue = Files.readAllBytes(dir.resolve("case_0_tissue.u8"));
        byte[] organs = p.organs().labels();
        assertEquals(organs.length, tissue.length);
        int lesionVoxels = 0;
        for (int i = 0; i < tissue.length; i++) {
            int t = tissue[i] & 0xff;
            int label = t >= 100 ? p.lesions().get(t - 101).organLabel() : Tissue.ALL[t].label;
            if (t >= 100) lesionVoxels++;
            assertEquals(organs[i], label, "voxel " + i);
        }
        assertTrue(p.lesions().isEmpty() || lesionVoxels > 0, "lesions are marked");
        assertTrue(Files.readString(dir.resolve("case_0.json")).contains("\"liver\": ["));
    }
}
