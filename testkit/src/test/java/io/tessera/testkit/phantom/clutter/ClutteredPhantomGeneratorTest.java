package io.tessera.testkit.phantom.clutter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.testkit.phantom.Lesion;
import io.tessera.testkit.phantom.Phantom;
import io.tessera.testkit.phantom.PhantomLabels;
import io.tessera.testkit.phantom.ReportSentence.Role;
import org.junit.jupiter.api.Test;

class ClutteredPhantomGeneratorTest {
    @Test
    void same_seed_gives_identical_voxels_truth_and_report() {
        ClutteredPhantom a = ClutteredPhantomGenerator.generate(ClutterSpec.all(7100));
        ClutteredPhantom b = ClutteredPhantomGenerator.generate(ClutterSpec.all(7100));
        assertArrayEquals(a.phantom().ct().voxels(), b.phantom().ct().voxels());
        assertArrayEquals(a.distractorMap().labels(), b.distractorMap().labels());
        assertEquals(a.phantom().reportText(), b.phantom().reportText());
    }

    @Test
    void targets_lie_in_their_organ_and_every_one_is_described_once() {
        for (long seed = 7101; seed < 7104; seed++) {
            ClutteredPhantom cp = ClutteredPhantomGenerator.generate(ClutterSpec.all(seed));
            Phantom p = cp.phantom();
            byte[] lesions = p.lesionMap().labels(), organs = p.organs().labels();
            for (Lesion l : p.lesions()) {
                int n = 0;
                for (int x = 0; x < lesions.length; x++) {
                    if (lesions[x] != l.index()) continue;
                    n++;
                    assertEquals(PhantomLabels.value(l.organ()), organs[x], "seed " + seed + " lesion " + l.index());
                    assertEquals(0, cp.distractorMap().labels()[x], "a distractor drawn over a target");
                }
                assertTrue(n > 0, "lesion " + l.index() + " has voxels");
                assertEquals(1, cp.sentences().stream().filter(s -> s.lesionIndex() == l.index()).count());
            }
            assertTrue(cp.sentences().stream().anyMatch(s -> s.role() == Role.NEGATED));
            double thk = cp.sliceMm();
            assertTrue(thk >= 0.6 && thk <= 5.0, "slice " + thk);
        }
    }

    @Test
    void each_kind_draws_its_distractor_and_gas_over_the_liver_keeps_the_liver_label() {
        for (ClutterKind k : ClutterKind.values()) {
            ClutteredPhantom cp = ClutteredPhantomGenerator.generate(ClutterSpec.only(7200 + k.ordinal(), k));
            byte[] d = cp.distractorMap().labels();
            int n = 0, overLiver = 0;
            for (int x = 0; x < d.length; x++) {
                if (cp.distractorAt(x) != k) continue;
                n++;
                if (cp.phantom().organs().labels()[x] == PhantomLabels.LIVER) overLiver++;
            }
            assertTrue(n > 0, k + " drawn");
            if (k == ClutterKind.GAS_OVER_ORGAN) assertTrue(overLiver > 0, "gas drawn over the liver label");
        }
    }
}
