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

    @Test
    void chest_range_adds_lungs_on_their_own_side_above_the_liver_and_ribs_while_the_abdomen_range_has_none() {
        ClutteredPhantom abdomen = ClutteredPhantomGenerator.generate(ClutterSpec.all(7300));
        assertEquals(ScanRange.ABDOMEN, abdomen.spec().range());
        long[] ha = abdomen.phantom().organs().histogram();
        assertEquals(0, ha[PhantomLabels.LUNG_LEFT] + ha[PhantomLabels.LUNG_RIGHT], "no lungs in an abdomen-only scan");

        ClutteredPhantom chest = ClutteredPhantomGenerator.generate(ClutterSpec.all(7300).withRange(ScanRange.CHEST_ABDOMEN));
        io.tessera.core.Grid g = chest.phantom().organs().grid();
        assertTrue(g.nz() * g.spacing()[2] > 280, "lower chest and abdomen: " + g.nz() * g.spacing()[2] + " mm");
        byte[] organs = chest.phantom().organs().labels();
        double[] sideSum = new double[9];
        long[] count = new long[9];
        int lowestLungK = Integer.MAX_VALUE, lowestLiverK = Integer.MAX_VALUE, highestLiverK = -1, highestLungK = -1;
        for (int k = 0; k < g.nz(); k++) {
            for (int j = 0; j < g.ny(); j++) {
                for (int i = 0; i < g.nx(); i++) {
                    int v = organs[g.index(i, j, k)];
                    double x = g.origin()[0] + i * g.spacing()[0];
                    sideSum[v] += x;
                    count[v]++;
                    if (v == PhantomLabels.LUNG_LEFT || v == PhantomLabels.LUNG_RIGHT) {
                        lowestLungK = Math.min(lowestLungK, k);
                        highestLungK = Math.max(highestLungK, k);
                    }
                    if (v == PhantomLabels.LIVER) {
                        lowestLiverK = Math.min(lowestLiverK, k);
                        highestLiverK = Math.max(highestLiverK, k);
                    }
                }
            }
        }
        assertTrue(count[PhantomLabels.LUNG_LEFT] > 0 && count[PhantomLabels.LUNG_RIGHT] > 0, "both lungs drawn");
        // LPS: +x is patient left
        assertTrue(sideSum[PhantomLabels.LUNG_LEFT] / count[PhantomLabels.LUNG_LEFT] > 20, "left lung on the patient's left");
        assertTrue(sideSum[PhantomLabels.LUNG_RIGHT] / count[PhantomLabels.LUNG_RIGHT] < -20, "right lung on the patient's right");
        assertTrue(lowestLungK > lowestLiverK && highestLungK > highestLiverK, "lungs above the liver");
        assertTrue(lowestLungK < highestLiverK, "lung bases reach down beside the liver dome (posterior recesses)");
        assertEquals(0, posteriorWallBone(abdomen), "no ribs in the abdomen-only phantom");
        assertTrue(posteriorWallBone(chest) > 0, "ribs in the chest phantom's posterior wall");
        // the targets and distractors stay in the abdomen
        for (Lesion l : chest.phantom().lesions()) assertTrue(l.centreMm()[2] < 45, "target " + l.index() + " in the abdomen");
    }

    /** Bone voxels behind the body's centre, away from the spine (|x| > 25 mm) and inside the arms' reach (< 100 mm). */
    private static long posteriorWallBone(ClutteredPhantom c) {
        io.tessera.core.Grid g = c.phantom().organs().grid();
        byte[] organs = c.phantom().organs().labels();
        long n = 0;
        for (int k = 0; k < g.nz(); k++) {
            for (int j = 0; j < g.ny(); j++) {
                double y = g.origin()[1] + j * g.spacing()[1];
                for (int i = 0; i < g.nx(); i++) {
                    double ax = Math.abs(g.origin()[0] + i * g.spacing()[0]);
                    if (y > 40 && ax > 25 && ax < 100 && organs[g.index(i, j, k)] == PhantomLabels.BONE) n++;
                }
            }
        }
        return n;
    }
}
