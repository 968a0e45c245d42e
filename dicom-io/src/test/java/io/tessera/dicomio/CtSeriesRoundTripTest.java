package io.tessera.dicomio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.core.Grid;
import io.tessera.core.SourceSeries;
import io.tessera.core.Uids;
import io.tessera.core.Volume;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CtSeriesRoundTripTest {
    @TempDir Path dir;

    private final CtSeriesWriter writer = new CtSeriesWriter();
    private final SeriesReader reader = new SeriesReader();

    @Test
    void reads_back_geometry_and_hounsfield_units_from_shuffled_files() throws Exception {
        Grid g = Fixtures.obliqueGrid();
        Volume v = Fixtures.ct(g);
        List<Path> files = new ArrayList<>(writer.write(v, Fixtures.STUDY, Fixtures.ctSpec(Uids.derive("s1")), dir));
        Collections.shuffle(files, new Random(7));

        SourceSeries s = reader.read(files);

        Grid r = s.volume().grid();
        assertTrue(r.sameGeometry(g), () -> "read " + r + " origin " + java.util.Arrays.toString(r.origin()));
        for (int x = 0; x < v.voxels().length; x++) assertEquals(v.voxels()[x], s.volume().voxels()[x], 1.0, "voxel " + x);
        for (int k = 0; k < g.nz(); k++) {
            assertEquals(Uids.derive(Uids.derive("s1"), "ct", Integer.toString(k)), s.slices().get(k).sopInstanceUid());
        }
        assertEquals(Fixtures.STUDY, s.study());
        assertEquals("CT", s.modality());
        assertEquals(Uids.derive("s1"), s.seriesInstanceUid());
    }

    @Test
    void pixel_spacing_is_written_row_spacing_first() throws Exception {
        Grid g = Fixtures.grid(); // column spacing (along a row) 0.75, row spacing 0.9
        List<Path> files = writer.write(Fixtures.ct(g), Fixtures.STUDY, Fixtures.ctSpec(Uids.derive("s2")), dir);
        Map<String, String> h = DicomHeaders.read(files.get(0));
        assertEquals("0.9\\0.75", h.get("PixelSpacing"));
        assertEquals("23", h.get("Rows"));
        assertEquals("31", h.get("Columns"));
        assertEquals("PID-001", h.get("PatientID"));
        assertEquals("1.2.840.10008.5.1.4.1.1.2", h.get("SOPClassUID"));
        SourceSeries s = reader.read(files);
        assertArrayEquals(new double[] {0.75, 0.9, 2.5}, s.volume().grid().spacing(), 1e-9);
        assertEquals(s.slices().get(3).imagePositionPatient(), DicomHeaders.read(files.get(3)).get("ImagePositionPatient"));
    }

    @Test
    void clamps_values_outside_the_16_bit_range() throws Exception {
        Grid g = Fixtures.grid();
        Volume v = Fixtures.ct(g);
        v.voxels()[0] = 1e6f;
        v.voxels()[1] = -1e6f;
        SourceSeries s = reader.read(writer.write(v, Fixtures.STUDY, Fixtures.ctSpec(Uids.derive("s3")), dir));
        assertEquals(32767 - 1024, s.volume().voxels()[0], 0.5);
        assertEquals(-32768 - 1024, s.volume().voxels()[1], 0.5);
    }

    @Test
    void refuses_a_series_with_two_orientations() throws Exception {
        List<Path> files = new ArrayList<>(writer.write(Fixtures.ct(Fixtures.grid()), Fixtures.STUDY,
                Fixtures.ctSpec(Uids.derive("s4")), dir.resolve("a")));
        List<Path> oblique = writer.write(Fixtures.ct(Fixtures.obliqueGrid()), Fixtures.STUDY,
                Fixtures.ctSpec(Uids.derive("s4")), dir.resolve("b"));
        files.add(oblique.get(0));
        SeriesReadException e = assertThrows(SeriesReadException.class, () -> reader.read(files));
        assertEquals("TSR-0201", e.code());
        assertTrue(e.getMessage().contains("2 different Image Orientation (Patient)"), e.getMessage());
    }

    @Test
    void refuses_uneven_spacing_from_a_missing_slice() throws Exception {
        List<Path> files = new ArrayList<>(writer.write(Fixtures.ct(Fixtures.grid()), Fixtures.STUDY,
                Fixtures.ctSpec(Uids.derive("s5")), dir));
        files.remove(4);
        SeriesReadException e = assertThrows(SeriesReadException.class, () -> reader.read(files));
        assertEquals("TSR-0204", e.code());
    }

    @Test
    void refuses_duplicate_positions() throws Exception {
        List<Path> files = writer.write(Fixtures.ct(Fixtures.grid()), Fixtures.STUDY, Fixtures.ctSpec(Uids.derive("s6")), dir);
        List<Path> dup = new ArrayList<>(files);
        Path copy = dir.resolve("copy.dcm");
        Files.copy(files.get(2), copy);
        dup.add(copy);
        SeriesReadException e = assertThrows(SeriesReadException.class, () -> reader.read(dup));
        assertEquals("TSR-0203", e.code());
    }

    @Test
    void refuses_instances_of_two_series_and_non_dicom_files() throws Exception {
        List<Path> files = new ArrayList<>(writer.write(Fixtures.ct(Fixtures.grid()), Fixtures.STUDY,
                Fixtures.ctSpec(Uids.derive("s7")), dir.resolve("a")));
        files.addAll(writer.write(Fixtures.ct(Fixtures.grid()), Fixtures.STUDY, Fixtures.ctSpec(Uids.derive("s8")),
                dir.resolve("b")));
        assertEquals("TSR-0202", assertThrows(SeriesReadException.class, () -> reader.read(files)).code());

        Path junk = Files.write(dir.resolve("junk.dcm"), new byte[] {1, 2, 3});
        assertEquals("TSR-0205", assertThrows(SeriesReadException.class, () -> reader.read(List.of(junk))).code());
        assertEquals("TSR-0200", assertThrows(SeriesReadException.class, () -> reader.read(List.of())).code());
    }

    @Test
    void reads_pixels_of_plain_little_endian_files_without_a_full_parse() throws Exception {
        Grid g = Fixtures.grid();
        List<Path> files = writer.write(Fixtures.ct(g), Fixtures.STUDY, Fixtures.ctSpec(Uids.derive("s9")), dir);
        short[] raw = RawPixelReader.tryRead(files.get(2), "1.2.840.10008.1.2.1", g.ny(), g.nx());
        assertEquals((short) (Fixtures.ct(g).get(5, 4, 2) + 1024), raw[g.index(5, 4, 0)]);
        assertEquals(null, RawPixelReader.tryRead(files.get(2), "1.2.840.10008.1.2.4.70", g.ny(), g.nx()), "JPEG: no fast path");
        assertEquals(null, RawPixelReader.tryRead(files.get(2), "1.2.840.10008.1.2.1", g.ny() + 1, g.nx()), "length mismatch");

        // the converting path writes table[stored value] for every pixel, at the offset, and nothing when it does not apply
        float[] identity = new float[1 << 16];
        for (int u = 0; u < identity.length; u++) identity[u] = u;
        float[] voxels = new float[raw.length + 7];
        assertTrue(RawPixelReader.tryConvert(files.get(2), "1.2.840.10008.1.2.1", g.ny(), g.nx(), identity, voxels, 7));
        for (int p = 0; p < raw.length; p++) assertEquals(raw[p] & 0xffff, (int) voxels[7 + p]);
        float[] untouched = new float[raw.length];
        assertFalse(RawPixelReader.tryConvert(files.get(2), "1.2.840.10008.1.2.4.70", g.ny(), g.nx(), identity, untouched, 0));
        assertFalse(RawPixelReader.tryConvert(files.get(2), "1.2.840.10008.1.2.1", g.ny() + 1, g.nx(), identity, untouched, 0));
    }

    @Test
    void the_rescale_table_gives_what_masking_sign_and_rescale_give_for_every_stored_value() {
        for (PixelCopier.Rescale r : List.of(PixelCopier.Rescale.of(16, true, 1, -1024), PixelCopier.Rescale.of(12, false, 1, -1024),
                PixelCopier.Rescale.of(12, true, 2.5, 10), PixelCopier.Rescale.of(16, false, 0.5, 0))) {
            float[] t = r.table();
            for (int u = 0; u < 1 << 16; u++) {
                int v = u & ((1 << r.bitsStored()) - 1);
                if (r.signed() && (v & (1 << (r.bitsStored() - 1))) != 0) v -= 1 << r.bitsStored();
                assertEquals((float) (v * r.slope() + r.intercept()), t[u], r + " at " + u);
            }
        }
        assertTrue(PixelCopier.Rescale.of(12, true, 2.5, 10).table() == PixelCopier.Rescale.of(12, true, 2.5, 10).table(),
                "made once per rescale");
    }
}
