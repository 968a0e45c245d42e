package io.tessera.dicomio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.core.LabelMap;
import io.tessera.core.Segmentation;
import io.tessera.core.SliceRef;
import io.tessera.core.SourceSeries;
import io.tessera.core.Uids;
import io.tessera.core.Volume;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A multi-frame Enhanced CT (functional groups, frames stored in reverse) reads to the same volume as the single-frame
 * series of the same data; a SEG on it references each source frame by number and the instance once.
 */
class EnhancedCtTest {
    @TempDir
    Path dir;

    @Test
    void enhanced_ct_reads_to_the_same_volume_as_the_single_frame_series() throws Exception {
        Volume ct = Fixtures.ct(Fixtures.obliqueGrid());
        CtSeriesSpec spec = Fixtures.ctSpec(Uids.derive("mf1"));
        SourceSeries single = new SeriesReader().read(new CtSeriesWriter().write(ct, Fixtures.STUDY, spec, dir.resolve("single")));
        int n = ct.grid().nz();
        int[] reversed = new int[n];
        for (int f = 0; f < n; f++) reversed[f] = n - 1 - f;
        Path mf = new EnhancedCtWriter().write(ct, Fixtures.STUDY, spec, dir.resolve("enhanced.dcm"), reversed);
        SourceSeries multi = new SeriesReader().read(List.of(mf));

        assertTrue(multi.volume().grid().sameGeometry(single.volume().grid()), multi.volume().grid() + " vs " + single.volume().grid());
        assertArrayEquals(single.volume().voxels(), multi.volume().voxels());
        for (int k = 0; k < n; k++) {
            SliceRef s = multi.slices().get(k);
            assertEquals(n - k, s.frameNumber(), "slice k is frame n-k (stored in reverse)");
            assertEquals(single.slices().get(k).imagePositionPatient(), s.imagePositionPatient());
        }
    }

    @Test
    void a_seg_on_an_enhanced_ct_references_each_frame_by_number() throws Exception {
        Volume ct = Fixtures.ct(Fixtures.grid());
        int n = ct.grid().nz();
        int[] order = {3, 0, 9, 1, 8, 2, 7, 4, 6, 5};
        Path mf = new EnhancedCtWriter().write(ct, Fixtures.STUDY, Fixtures.ctSpec(Uids.derive("mf2")), dir.resolve("e.dcm"), order);
        SourceSeries src = new SeriesReader().read(List.of(mf));
        LabelMap labels = Fixtures.labels(src.volume().grid());
        Path seg = dir.resolve("seg.dcm");
        new SegWriter().write(new Segmentation(src, labels, Fixtures.LABELS, Fixtures.MODEL), SegSpec.forModel(src, Fixtures.MODEL, "1"), seg);

        assertArrayEquals(labels.labels(), new SegReader().readOnto(seg, src, Fixtures.LABELS).labels());
        for (SegReader.FrameReference r : new SegReader().frameReferences(seg)) {
            assertTrue(r.sourceFrameNumber() >= 1 && r.sourceFrameNumber() <= n, "frame number referenced: " + r);
            SliceRef s = src.slices().stream().filter(x -> x.frameNumber() == r.sourceFrameNumber()).findFirst().orElseThrow();
            assertEquals(s.imagePositionPatient(), r.imagePositionPatient(), "SEG frame at its source frame's position");
        }
        String dump = new String(Files.readAllBytes(seg), java.nio.charset.StandardCharsets.ISO_8859_1);
        Set<Integer> seen = new HashSet<>();
        int at = -1, count = 0;
        String sop = src.slices().get(0).sopInstanceUid();
        while ((at = dump.indexOf(sop, at + 1)) >= 0) {
            count++;
            seen.add(at);
        }
        // once in the Referenced Series Sequence, once per SEG frame's Source Image
        assertEquals(1 + new SegReader().frameReferences(seg).size(), count, "the multi-frame source is listed once");
    }
}
