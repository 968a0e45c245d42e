package io.tessera.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tessera.core.Grid;
import io.tessera.core.Volume;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The project's reference model (models/ct-phantom-organs, trained separately) is a valid package once it exists,
 * and runs end to end on a crude body-shaped volume (timings printed, never asserted).
 */
class ReferenceModelPackageTest {
    private static final Path DIR = Path.of("..", "models", "ct-phantom-organs").toAbsolutePath().normalize();

    @Test
    void reference_model_package_loads_and_segments_when_present() throws Exception {
        assumeTrue(Files.isRegularFile(DIR.resolve("model.onnx")), "reference model not built yet: " + DIR);
        ModelPackage p = ModelPackage.load(DIR);
        assertEquals("ct-phantom-organs", p.manifest().name());
        assertFalse(p.labels().isEmpty());
        assertEquals(64, p.identity().sha256().length());

        try (ModelRegistry r = ModelRegistry.load(List.of(DIR.getParent()), InferenceSettings.cpu())) {
            Grid grid = Grid.axial(192, 192, 80, new double[] {-134, -134, 0}, new double[] {1.4, 1.4, 2.5});
            SegmentationOutput out = new Segmenter().segment(r.get("ct-phantom-organs").orElseThrow(), body(grid));
            System.out.printf("ct-phantom-organs on %s: %d patches, total %.0f ms, ORT %.0f ms, overhead %.1f%%, histogram %s%n",
                    grid, out.patches(), out.totalNanos() / 1e6, out.ortNanos() / 1e6, 100 * out.overheadRatio(),
                    java.util.Arrays.toString(java.util.Arrays.copyOf(out.labels().histogram(), p.labels().size() + 1)));
            assertTrue(out.labels().grid().sameGeometry(grid));
            assertTrue(out.labels().histogram()[0] < grid.voxelCount(), "something was segmented");
        }
    }

    /** Air around a soft-tissue ellipse with two air-filled "lungs" and a bright "spine". */
    private static Volume body(Grid g) {
        Volume v = Volume.zeros(g);
        for (int k = 0; k < g.nz(); k++)
            for (int j = 0; j < g.ny(); j++)
                for (int i = 0; i < g.nx(); i++) {
                    double[] p = g.toPatient(i, j, k);
                    double x = p[0], y = p[1];
                    float hu = -1000;
                    if (x * x / (120.0 * 120) + y * y / (85.0 * 85) < 1) hu = 40;
                    if ((x - 55) * (x - 55) / 1600 + y * y / 2500 < 1 || (x + 55) * (x + 55) / 1600 + y * y / 2500 < 1) hu = -850;
                    if (x * x + (y - 60) * (y - 60) < 225) hu = 700;
                    v.voxels()[g.index(i, j, k)] = hu;
                }
        return v;
    }
}
