package io.tessera.testkit.phantom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PhantomDumpTest {
    @TempDir
    Path dir;

    @Test
    void writes_little_endian_image_labels_and_geometry_for_each_case() throws Exception {
        PhantomDump.main(new String[] {dir.toString(), "1", "77", "8.0"});
        String json = Files.readString(dir.resolve("case_0.json"));
        assertTrue(json.contains("\"nx\": 48") && json.contains("\"nz\": 40") && json.contains("\"spacing\": [8.0, 8.0, 8.0]"), json);
        byte[] image = Files.readAllBytes(dir.resolve("case_0_image.f32"));
        byte[] labels = Files.readAllBytes(dir.resolve("case_0_label.u8"));
        assertEquals(48 * 48 * 40, labels.length);
        assertEquals(4 * labels.length, image.length);
        // the corner voxel is air
        float corner = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN).getFloat(0);
        assertTrue(corner < -900, "corner HU " + corner);
        assertEquals(0, labels[0]);
        String report = Files.readString(dir.resolve("case_0_report.json"));
        assertTrue(report.startsWith("{\"sentences\": [") && report.contains("\"role\": \"NEGATED\""), report);
        assertTrue(report.contains("{\"text\": \"No pleural effusion\", \"role\": \"NEGATED\", \"lesion\": 0}"), report);
    }
}
