package io.tessera.testkit;

import static org.junit.jupiter.api.Assertions.*;

import io.tessera.dicomio.DicomHeaders;
import io.tessera.dicomio.RadiographSpec;
import io.tessera.testkit.phantom.PhantomSpec;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** DX and CR radiographs of a phantom pass dciodvfy, with Imager Pixel Spacing, no Pixel Spacing and a VOI window. */
class RadiographStudyIT {
    @TempDir Path dir;

    @ParameterizedTest
    @CsvSource({"DX, false", "DX, true", "CR, false", "CR, true"})
    void radiograph_is_a_valid_single_frame_object(RadiographSpec.Kind kind, boolean monochrome1) throws Exception {
        RadiographStudy s = RadiographStudy.write(PhantomSpec.small(43).withLesionCount(1), kind, monochrome1, dir);
        ExternalTool.Result v = ExternalTool.dciodvfy(s.file());
        assertFalse(v.output().lines().anyMatch(l -> l.startsWith("Error")), v.output());
        assertTrue(v.output().contains(kind == RadiographSpec.Kind.DX ? "DXImageForPresentation" : "CRImage"), v.output());
        Map<String, String> h = DicomHeaders.readAll(s.file());
        assertEquals(kind.name(), h.get("Modality"));
        assertEquals(monochrome1 ? "MONOCHROME1" : "MONOCHROME2", h.get("PhotometricInterpretation"));
        assertEquals("2\\2", h.get("ImagerPixelSpacing"));
        assertNull(h.get("PixelSpacing"));
        assertEquals(monochrome1 ? "2195" : "1900", h.get("WindowCenter"));
    }
}
