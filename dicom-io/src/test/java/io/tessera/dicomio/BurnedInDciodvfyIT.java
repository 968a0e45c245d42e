package io.tessera.dicomio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The burned-in Secondary Capture images pass dciodvfy with no Error lines. */
class BurnedInDciodvfyIT {
    @TempDir Path dir;

    @Test
    void burned_in_secondary_capture_images_pass_dciodvfy_without_errors() throws Exception {
        var seg = BurnedInWriterTest.segmentation(dir.resolve("ct"));
        List<BurnedInWriter.Instance> out = new BurnedInWriter().write(seg, SegSpec.forModel(seg.source(), Fixtures.MODEL, "1"),
                dir.resolve("sc"));
        assertEquals(3, out.size());
        for (BurnedInWriter.Instance sc : out) DciodvfyIT.assertClean(sc.file());
    }
}
