package io.tessera.testkit.phantom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.core.Grid;
import io.tessera.core.LabelMap;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PhantomGeneratorTest {
    private static Phantom phantom;

    @BeforeAll
    static void generate() {
        phantom = PhantomGenerator.generate(PhantomSpec.small(11).withLesionCount(3));
    }

    @Test
    void same_seed_gives_identical_voxels_labels_and_report() {
        Phantom again = PhantomGenerator.generate(PhantomSpec.small(11).withLesionCount(3));
        assertArrayEquals(phantom.ct().voxels(), again.ct().voxels());
        assertArrayEquals(phantom.organs().labels(), again.organs().labels());
        assertArrayEquals(phantom.lesionMap().labels(), again.lesionMap().labels());
        assertEquals(phantom.reportText(), again.reportText());
    }

    @Test
    void different_seeds_give_different_anatomy() {
        Phantom other = PhantomGenerator.generate(PhantomSpec.small(12));
        assertFalse(Arrays.equals(phantom.organs().labels(), other.organs().labels()));
    }

    @Test
    void grid_is_axial_lps_centred_on_the_torso_with_ascending_slices() {
        Grid g = phantom.ct().grid();
        assertEquals(128, g.nx());
        assertEquals(64, g.nz());
        assertArrayEquals(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, g.direction());
        assertArrayEquals(new double[] {3.0, 3.0, 5.0}, g.spacing());
        double[] centre = g.toPatient((g.nx() - 1) / 2.0, (g.ny() - 1) / 2.0, (g.nz() - 1) / 2.0);
        assertArrayEquals(new double[] {0, 0, 0}, centre, 1e-9);
        assertTrue(g.toPatient(0, 0, 1)[2] > g.toPatient(0, 0, 0)[2]);
    }

    @Test
    void every_organ_is_present_with_a_plausible_volume() {
        for (long seed = 1; seed <= 5; seed++) {
            LabelMap organs = seed == 11 ? phantom.organs() : PhantomGenerator.generate(PhantomSpec.small(seed)).organs();
            long[] h = organs.histogram();
            double ml = organs.grid().voxelVolumeMl();
            assertBetween("liver", h[PhantomLabels.LIVER] * ml, 1200, 2200);
            assertBetween("spleen", h[PhantomLabels.SPLEEN] * ml, 80, 450);
            assertBetween("left kidney", h[PhantomLabels.KIDNEY_LEFT] * ml, 90, 320);
            assertBetween("right kidney", h[PhantomLabels.KIDNEY_RIGHT] * ml, 90, 320);
            assertBetween("left lung", h[PhantomLabels.LUNG_LEFT] * ml, 1200, 3500);
            assertBetween("right lung", h[PhantomLabels.LUNG_RIGHT] * ml, 1200, 3500);
            assertBetween("bone", h[PhantomLabels.BONE] * ml, 800, 3000);
            assertBetween("body", h[PhantomLabels.BODY] * ml, 8000, 18000);
        }
    }

    @Test
    void left_organs_lie_on_patient_left_which_is_positive_x() {
        assertTrue(centroid(PhantomLabels.LUNG_LEFT)[0] > 30);
        assertTrue(centroid(PhantomLabels.LUNG_RIGHT)[0] < -30);
        assertTrue(centroid(PhantomLabels.KIDNEY_LEFT)[0] > 30);
        assertTrue(centroid(PhantomLabels.KIDNEY_RIGHT)[0] < -30);
        assertTrue(centroid(PhantomLabels.SPLEEN)[0] > 30);
        assertTrue(centroid(PhantomLabels.LIVER)[0] < -20);
    }

    @Test
    void lungs_lie_above_the_liver_and_kidneys_lie_posterior() {
        assertTrue(centroid(PhantomLabels.LUNG_RIGHT)[2] > centroid(PhantomLabels.LIVER)[2] + 50);
        assertTrue(centroid(PhantomLabels.KIDNEY_LEFT)[1] > 20, "posterior is +y in LPS");
        assertTrue(centroid(PhantomLabels.KIDNEY_LEFT)[1] > centroid(PhantomLabels.LIVER)[1]);
    }

    @Test
    void attenuation_matches_the_tissue_of_each_label() {
        assertBetween("air", medianHu(PhantomLabels.BACKGROUND), -1010, -990);
        assertBetween("lung", medianHu(PhantomLabels.LUNG_LEFT), -870, -830);
        assertBetween("liver", medianHu(PhantomLabels.LIVER), 95, 115);
        assertBetween("spleen", medianHu(PhantomLabels.SPLEEN), 105, 125);
        assertBetween("kidney", medianHu(PhantomLabels.KIDNEY_RIGHT), 130, 160);
        assertBetween("bone", medianHu(PhantomLabels.BONE), 250, 750);
    }

    @Test
    void every_lesion_lies_inside_its_host_organ_with_its_expected_size() {
        assertEquals(3, phantom.lesions().size());
        byte[] organs = phantom.organs().labels();
        byte[] lesions = phantom.lesionMap().labels();
        for (Lesion l : phantom.lesions()) {
            long count = 0;
            for (int v = 0; v < lesions.length; v++) {
                if (lesions[v] == l.index()) {
                    count++;
                    assertEquals(l.organLabel(), organs[v], "lesion " + l.index() + " voxel outside " + l.organ());
                }
            }
            double expectedMl = Math.PI / 6 * Math.pow(l.diameterMm(), 3) / 1000;
            assertBetween("lesion " + l.index() + " volume", count * phantom.lesionMap().grid().voxelVolumeMl(),
                    expectedMl * 0.4, expectedMl * 1.8);
            assertTrue(l.diameterMm() >= 6 && l.diameterMm() <= 30);
        }
    }

    @Test
    void lesions_are_darker_or_brighter_than_their_host_as_described() {
        for (Lesion l : phantom.lesions()) {
            assertTrue(l.organ().startsWith("lung") ? l.hu() > -100 : l.hu() < 40, l.toString());
        }
    }

    @Test
    void report_mentions_every_lesion_with_size_organ_and_side_plus_a_negated_finding() {
        String report = phantom.reportText();
        for (Lesion l : phantom.lesions()) {
            assertTrue(report.contains(ReportWriter.size(l.diameterMm()) + " " + l.kind() + " in the " + l.location()), report);
            String side = l.organ().endsWith("_left") ? "left" : l.organ().endsWith("_right") ? "right" : "";
            assertTrue(l.location().contains(side), l.location());
        }
        assertTrue(report.contains("No pleural effusion."));
    }

    @Test
    void report_truth_names_the_lesion_of_every_positive_sentence_and_each_sentence_is_in_the_text() {
        for (long seed = 1; seed <= 6; seed++) {
            Phantom p = seed == 11 ? phantom : PhantomGenerator.generate(PhantomSpec.small(seed).withLesionCount((int) (seed % 4)));
            for (ReportSentence s : p.reportTruth()) assertTrue(p.reportText().contains(s.text() + "."), s + "\n" + p.reportText());
            for (Lesion l : p.lesions()) {
                assertEquals(2, p.reportTruth().stream().filter(s -> s.lesionIndex() == l.index()).count(), p.reportText());
            }
            assertTrue(p.reportTruth().stream().anyMatch(s -> s.role() == ReportSentence.Role.NEGATED));
            assertTrue(p.reportTruth().stream().anyMatch(s -> s.role() == ReportSentence.Role.NO_LESION));
            assertTrue(p.reportTruth().stream().anyMatch(s -> s.role() == ReportSentence.Role.DISTRACTOR));
        }
    }

    @Test
    void impression_restates_the_size_in_another_format_with_the_same_largest_value() {
        assertEquals("8 mm", ReportWriter.sizeVariant(8.0, 0));
        assertEquals("8 x 6 mm", ReportWriter.sizeVariant(8.0, 1));
        assertEquals("8mm", ReportWriter.sizeVariant(8.0, 2));
        assertEquals("2.1 x 1.6 cm", ReportWriter.sizeVariant(21.0, 1));
        assertEquals("21mm", ReportWriter.sizeVariant(21.0, 2));
        assertEquals("12mm", ReportWriter.sizeVariant(12.4, 2));
    }

    @Test
    void sizes_are_written_in_mm_below_one_cm_and_in_cm_above() {
        assertEquals("8 mm", ReportWriter.size(8.0));
        assertEquals("2.1 cm", ReportWriter.size(21.0));
    }

    @Test
    void a_phantom_without_lesions_says_so() {
        Phantom clean = PhantomGenerator.generate(PhantomSpec.small(5).withLesionCount(0));
        assertTrue(clean.lesions().isEmpty());
        assertEquals(0, clean.lesionMap().histogram()[0] - clean.lesionMap().labels().length);
        assertTrue(clean.reportText().contains("No focal lesion"));
    }

    @Test
    void benchmark_spec_covers_the_same_field_of_view_at_ct_resolution() {
        PhantomSpec b = PhantomSpec.benchmark(1);
        assertEquals(512, b.nx());
        assertEquals(300, b.nz());
        assertEquals(384.0, b.nx() * b.pixelSpacingMm(), 1e-9);
        assertEquals(1.0, b.sliceSpacingMm());
    }

    private static double[] centroid(int label) {
        Grid g = phantom.organs().grid();
        double[] sum = new double[3];
        long n = 0;
        for (int k = 0; k < g.nz(); k++) {
            for (int j = 0; j < g.ny(); j++) {
                for (int i = 0; i < g.nx(); i++) {
                    if (phantom.organs().get(i, j, k) == label) {
                        double[] p = g.toPatient(i, j, k);
                        for (int a = 0; a < 3; a++) sum[a] += p[a];
                        n++;
                    }
                }
            }
        }
        assertTrue(n > 0, "label " + label + " missing");
        return new double[] {sum[0] / n, sum[1] / n, sum[2] / n};
    }

    private static double medianHu(int label) {
        float[] hu = phantom.ct().voxels();
        byte[] lab = phantom.organs().labels();
        float[] picked = new float[hu.length];
        int n = 0;
        for (int v = 0; v < hu.length; v++) if (lab[v] == label) picked[n++] = hu[v];
        assertTrue(n > 0);
        float[] values = Arrays.copyOf(picked, n);
        Arrays.sort(values);
        return values[n / 2];
    }

    private static void assertBetween(String what, double value, double lo, double hi) {
        assertTrue(value >= lo && value <= hi, what + " = " + value + " not in [" + lo + ", " + hi + "]");
    }
}
