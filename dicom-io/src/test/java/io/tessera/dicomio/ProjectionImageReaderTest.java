package io.tessera.dicomio;

import static org.junit.jupiter.api.Assertions.*;

import io.tessera.core.SourceSeries;
import io.tessera.core.StudyInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectionImageReaderTest {
    static final StudyInfo STUDY = new StudyInfo("1.2.826.0.1.3680043.10.1078.77", "P1", "Test^Xray", "19700101", "O",
            "A1", "20260101", "101010", "XR CHEST", "1");
    @TempDir Path dir;

    private static short[] ramp(int w, int h) {
        short[] px = new short[w * h];
        for (int i = 0; i < px.length; i++) px[i] = (short) ((i * 37) % 4096);
        return px;
    }

    private Path write(RadiographSpec.Kind kind, boolean monochrome1, String name) throws Exception {
        return new RadiographWriter().write(ramp(24, 16), 24, 16, 0.7, STUDY,
                new RadiographSpec(kind, "1.2.826.0.1.3680043.10.1078.78", "1.2.826.0.1.3680043.10.1078.79." + name.length(), 1,
                        "Chest PA", monochrome1, 1500, 3000), dir.resolve(name + ".dcm"));
    }

    @Test
    void monochrome1_is_read_in_the_monochrome2_sense_with_its_window() throws Exception {
        ProjectionImage m2 = new ProjectionImageReader().read(write(RadiographSpec.Kind.DX, false, "m2"));
        ProjectionImage m1 = new ProjectionImageReader().read(write(RadiographSpec.Kind.DX, true, "mono1"));
        assertFalse(m2.inverted());
        assertTrue(m1.inverted());
        assertArrayEquals(m2.values(), m1.values(), "the same picture whatever the photometric interpretation");
        assertEquals(1500, m2.voiCenter(), 1e-9);
        assertEquals(1500, m1.voiCenter(), 1e-9, "the stored centre (2595) mirrored back");
        assertEquals(3000, m1.voiWidth(), 1e-9);
        assertEquals(37f, m2.values()[1]);
    }

    @Test
    void spacing_comes_from_imager_pixel_spacing_when_pixel_spacing_is_absent() throws Exception {
        ProjectionImage cr = new ProjectionImageReader().read(write(RadiographSpec.Kind.CR, false, "cr"));
        assertEquals("ImagerPixelSpacing", cr.spacingSource());
        assertEquals(0.7, cr.rowSpacingMm(), 1e-9);
        assertEquals(0.7, cr.columnSpacingMm(), 1e-9);
        assertEquals("CR", cr.modality());
        assertEquals(24, cr.width());
        assertEquals(16, cr.height());
        SourceSeries s = cr.toSourceSeries();
        assertEquals(1, s.slices().size());
        assertEquals(0.7, s.volume().grid().spacing()[0], 1e-9);
        assertEquals(cr.sopInstanceUid(), s.slices().get(0).sopInstanceUid());
    }

    @Test
    void a_file_that_is_not_dicom_is_refused_with_its_code() throws Exception {
        Path f = Files.writeString(dir.resolve("x.dcm"), "not dicom");
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> new ProjectionImageReader().read(f));
        assertTrue(e.getMessage().startsWith("TSR-0446"), e.getMessage());
    }
}
