package io.tessera.listener;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The header read from the first fragments while a data set arrives must give exactly what the full parse gives
 * (the same header, or the same refusal once the whole data set is checked), or nothing: checked on every real file of Debian python3-pydicom's test set, in every transfer syntax, cut into
 * fragments of several sizes, taking 1, 2, ... fragments.
 */
class EarlyHeaderTest {
    private static final Path PYDICOM = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");

    @Test
    void an_early_header_is_the_full_parse_or_nothing_on_every_real_file() throws Exception {
        assumeTrue(Files.isDirectory(PYDICOM), "python3-pydicom test files not installed");
        int early = 0;
        List<String> wrong = new ArrayList<>();
        try (Stream<Path> files = Files.list(PYDICOM)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".dcm")).sorted().toList()) {
                DataSetStructureTest.Received r = DataSetStructureTest.read(f);
                if (r == null) {
                    continue;
                }
                InstanceHeader full;
                try {
                    full = InstanceHeader.parse(List.of(r.dataSet()), r.transferSyntax());
                } catch (InstanceHeader.UnreadableInstanceException e) {
                    full = null;
                }
                for (int size : new int[] {997, 16_372, 131_066}) {
                    List<byte[]> fragments = DataSetStructureTest.fragments(r.dataSet(), size);
                    for (int k = 1; k < fragments.size() && k <= 4; k++) {
                        InstanceHeader h = InstanceHeader.early(fragments.subList(0, k), r.transferSyntax());
                        if (h != null) {
                            early++;
                            InstanceHeader withEarly;
                            try {
                                withEarly = InstanceHeader.parse(fragments, r.transferSyntax(), h);
                            } catch (InstanceHeader.UnreadableInstanceException e) {
                                withEarly = null; // e.g. cut short inside Pixel Data: refused either way
                            }
                            if (!java.util.Objects.equals(withEarly, full) || full != null && !h.equals(full)) {
                                wrong.add(f.getFileName() + " at " + k + "x" + size + ": " + withEarly + " vs " + full);
                            }
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), wrong);
        assertTrue(early > 20, "early headers found: " + early);
    }

    @Test
    void a_prefix_with_a_length_beyond_it_gives_no_early_header_and_allocates_nothing() {
        byte[] huge = {0x10, 0x00, 0x10, 0x00, 'U', 'T', 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F, 'A', 'B'};
        assertNull(InstanceHeader.early(List.of(huge), "1.2.840.10008.1.2.1"));
        assertNull(InstanceHeader.early(List.of(huge), DataSetStructure.DEFLATED));
        assertNull(InstanceHeader.early(List.of(new byte[] {1, 2}), "1.2.840.10008.1.2"));
    }
}
