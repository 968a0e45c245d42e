package io.tessera.dicomio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.TransferSyntax;
import io.tessera.core.Grid;
import io.tessera.core.SourceSeries;
import io.tessera.core.Uids;
import io.tessera.core.Volume;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A series of plain little-endian 16-bit files is read into a volume whose values stay in the files until sampled:
 * sampled slice by slice they equal what a full read gives, the full read happens once, on demand, and a file changed
 * in between fails the read with its name rather than giving other values.
 */
class OnDemandVolumeTest {
    @TempDir Path dir;

    @Test
    void slices_sampled_from_the_files_equal_the_full_volume() throws Exception {
        Grid g = Fixtures.obliqueGrid();
        Volume ct = Fixtures.ct(g);
        List<Path> files = new ArrayList<>(new CtSeriesWriter().write(ct, Fixtures.STUDY, Fixtures.ctSpec(Uids.derive("od1")), dir));
        Collections.shuffle(files, new Random(3));
        SourceSeries s = new SeriesReader().read(files);
        Volume v = s.volume();
        Volume.Source source = v.source();
        assertNotNull(source, "plain 16-bit files: the volume is read on demand");

        int plane = g.nx() * g.ny();
        float[] sampled = new float[g.voxelCount()];
        for (int k = g.nz() - 1; k >= 0; k--) { // any order
            try (Volume.Slice slice = source.slice(k)) {
                for (int p = 0; p < plane; p++) sampled[k * plane + p] = slice.value(p);
            }
        }
        float[] all = v.voxels();
        assertArrayEquals(all, sampled, "slice by slice and all at once give the same values");
        try (Volume.Slice rows = source.slice(2, 3, 7)) { // only rows 3 .. 6 read
            for (int p = 3 * g.nx(); p < 7 * g.nx(); p++) assertEquals(all[2 * plane + p], rows.value(p), "pixel " + p);
        }
        for (int x = 0; x < all.length; x++) assertEquals(ct.voxels()[x], all[x], 1.0, "voxel " + x);
        assertNull(v.source(), "once in memory, readers use the array");
        assertTrue(v.voxels() == all, "read in full once");
    }

    @Test
    void a_file_changed_after_the_series_was_read_fails_with_its_name() throws Exception {
        Grid g = Fixtures.grid();
        List<Path> files = new CtSeriesWriter().write(Fixtures.ct(g), Fixtures.STUDY, Fixtures.ctSpec(Uids.derive("od2")), dir);
        SourceSeries s = new SeriesReader().read(files);
        Path changed = s.slices().get(4).file();
        try (FileChannel ch = FileChannel.open(changed, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 100);
        }
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> s.volume().source().slice(4));
        assertTrue(e.getMessage().startsWith("TSR-0205") && e.getMessage().contains(changed.getFileName().toString()), e.getMessage());
        try (Volume.Slice other = s.volume().source().slice(3)) {
            assertEquals(Fixtures.ct(g).get(0, 0, 3), other.value(0), 1.0, "the other slices still read");
        }
        UncheckedIOException all = assertThrows(UncheckedIOException.class, () -> s.volume().voxels());
        assertTrue(all.getMessage().contains("TSR-0205") && all.getMessage().contains(changed.getFileName().toString()),
                all.getMessage());
    }

    @Test
    void a_header_longer_than_the_first_read_is_read_through_the_file() throws Exception {
        Grid g = Fixtures.grid();
        Volume ct = Fixtures.ct(g);
        List<Path> files = new CtSeriesWriter().write(ct, Fixtures.STUDY, Fixtures.ctSpec(Uids.derive("od3")), dir);
        for (Path f : files) addPrivateBlock(f, 3 * HeaderReader.FIRST_READ);
        assertTrue(Files.size(files.get(0)) > 3 * HeaderReader.FIRST_READ);

        SourceSeries s = new SeriesReader().read(files);
        assertTrue(s.volume().grid().sameGeometry(g));
        assertEquals(Fixtures.STUDY, s.study());
        assertNotNull(s.volume().source(), "pixel data still found where it is");
        for (int x = 0; x < ct.voxels().length; x++) assertEquals(ct.voxels()[x], s.volume().voxels()[x], 1.0, "voxel " + x);
    }

    @Test
    void a_small_file_read_whole_has_every_attribute() throws Exception {
        Grid g = Fixtures.grid(); // 31 x 23 pixels: the whole file fits the first read
        List<Path> files = new CtSeriesWriter().write(Fixtures.ct(g), Fixtures.STUDY, Fixtures.ctSpec(Uids.derive("od4")), dir);
        assertTrue(Files.size(files.get(0)) < HeaderReader.FIRST_READ);
        AttributeList fast = HeaderReader.read(files.get(0), true).attributes();
        AttributeList slow = SeriesReader.readHeaderFromFile(files.get(0));
        assertEquals(slow.size(), fast.size());
        for (AttributeTag t : slow.keySet()) {
            assertEquals(com.pixelmed.dicom.Attribute.getDelimitedStringValuesOrEmptyString(slow, t),
                    com.pixelmed.dicom.Attribute.getDelimitedStringValuesOrEmptyString(fast, t), t.toString());
        }
        assertTrue(HeaderReader.read(files.get(0), true).pixelOffset() > 0);
        assertEquals(-1, HeaderReader.read(files.get(0), false).pixelOffset(), "not looked for when not asked");
    }

    /** Rewrites the file with a private OB element of {@code bytes} bytes in its header. */
    private static void addPrivateBlock(Path f, int bytes) throws Exception {
        AttributeList l = new AttributeList();
        l.read(f.toFile());
        LongStringAttribute creator = new LongStringAttribute(new AttributeTag(0x0009, 0x0010));
        creator.addValue("TESSERA TEST");
        l.put(creator);
        OtherByteAttribute block = new OtherByteAttribute(new AttributeTag(0x0009, 0x1001));
        block.setValues(new byte[bytes]);
        l.put(block);
        Files.delete(f);
        l.write(f.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
    }
}
