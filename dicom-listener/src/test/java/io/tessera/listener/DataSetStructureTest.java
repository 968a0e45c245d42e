package io.tessera.listener;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The structural check must pass every well-formed data set in every transfer syntax we accept (real files: Debian
 * python3-pydicom's test set, with implicit, explicit little and big endian, deflate, RLE, JPEG, JPEG-LS, JPEG 2000,
 * nested and UN sequences), and fail the truncated ones; the data set is cut into PDV-sized fragments as received.
 */
class DataSetStructureTest {
    private static final Path PYDICOM = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");
    /** Cut short, or (SC_rgb_jpeg) implicit VR labelled explicit: dcmdump fails on these too. */
    private static final List<String> TRUNCATED = List.of("MR_truncated.dcm", "rtplan_truncated.dcm", "SC_rgb_jpeg.dcm");

    /** A Part 10 file's data set and transfer syntax; null when it has no File Meta Information. */
    record Received(String transferSyntax, byte[] dataSet) {}

    static Received read(Path file) throws Exception {
        byte[] all = Files.readAllBytes(file);
        if (all.length < 132 || !"DICM".equals(new String(all, 128, 4, StandardCharsets.US_ASCII))) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        b.position(132);
        String ts = null;
        while (b.remaining() >= 8 && b.getShort(b.position()) == 0x0002) {
            b.getShort();
            int element = b.getShort() & 0xffff;
            String vr = new String(new byte[] {b.get(), b.get()}, StandardCharsets.US_ASCII);
            int length;
            if (Set4.contains(vr)) {
                b.getShort();
                length = b.getInt();
            } else {
                length = b.getShort() & 0xffff;
            }
            byte[] value = new byte[length];
            b.get(value);
            if (element == 0x0010) {
                ts = new String(value, StandardCharsets.US_ASCII).replace("\0", "").trim();
            }
        }
        return ts == null ? null : new Received(ts, Arrays.copyOfRange(all, b.position(), all.length));
    }

    private static final List<String> Set4 = List.of("OB", "OW", "SQ", "UN", "UT", "UC", "UR");

    static List<byte[]> fragments(byte[] data, int size) {
        List<byte[]> list = new ArrayList<>();
        for (int off = 0; off < data.length; off += size) {
            list.add(Arrays.copyOfRange(data, off, Math.min(data.length, off + size)));
        }
        return list;
    }

    @Test
    void every_well_formed_real_file_passes_in_its_own_transfer_syntax_and_truncated_ones_fail() throws Exception {
        assumeTrue(Files.isDirectory(PYDICOM), "python3-pydicom test files not installed");
        int checked = 0;
        List<String> wrong = new ArrayList<>();
        try (Stream<Path> files = Files.list(PYDICOM)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".dcm")).sorted().toList()) {
                Received r = read(f);
                if (r == null) {
                    continue;
                }
                boolean truncated = TRUNCATED.contains(f.getFileName().toString());
                try {
                    DataSetStructure.check(fragments(r.dataSet(), 997), r.transferSyntax());
                    if (truncated) {
                        wrong.add(f.getFileName() + " passed");
                    }
                } catch (InstanceHeader.UnreadableInstanceException e) {
                    if (!truncated) {
                        wrong.add(f.getFileName() + " (" + r.transferSyntax() + "): " + e.getMessage());
                    }
                }
                checked++;
            }
        }
        assertEquals(List.of(), wrong);
        assertTrue(checked > 40, "files checked: " + checked);
    }

    @Test
    void a_length_beyond_the_received_bytes_is_reported_without_allocating_it() {
        byte[] huge = {0x10, 0x00, 0x10, 0x00, 'U', 'T', 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F, 'A', 'B'};
        InstanceHeader.UnreadableInstanceException e = assertThrows(InstanceHeader.UnreadableInstanceException.class,
                () -> DataSetStructure.check(List.of(huge), "1.2.840.10008.1.2.1"));
        assertTrue(e.getMessage().startsWith("TSR-0209: data set truncated"), e.getMessage());
        assertEquals(InstanceHeader.Problem.MALFORMED, e.problem());
    }

    @Test
    void an_unclosed_sequence_is_truncated() {
        // (0008,1115) SQ undefined length, one item of undefined length, never closed
        byte[] open = {0x08, 0x00, 0x15, 0x11, 'S', 'Q', 0, 0, -1, -1, -1, -1, (byte) 0xFE, (byte) 0xFF, 0x00, (byte) 0xE0, -1, -1, -1, -1};
        assertThrows(InstanceHeader.UnreadableInstanceException.class,
                () -> DataSetStructure.check(List.of(open), "1.2.840.10008.1.2.1"));
    }
}
