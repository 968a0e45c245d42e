package io.tessera.listener;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomOutputStream;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A crash is simulated by abandoning the writer (no checkpoint, no close), damaging what the page cache would have
 * lost (spooled files, index rows), and starting again on the same spool.
 */
class SpoolRecoveryTest {
    private static final String STUDY = "1.2.826.0.1.3680043.10.1234.7";
    private static final String SERIES = STUDY + ".1";
    private static final String TS = TransferSyntax.ExplicitVRLittleEndian;
    private static final long MIB = 1 << 20;

    @TempDir Path spool;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private StudyIndex index() {
        StudyIndex index = new StudyIndex(StudyIndex.defaultJdbcUrl(spool), spool);
        open.add(index);
        return index;
    }

    private SpoolWriter writer(StudyIndex index) throws Exception {
        return new SpoolWriter(spool, index, WriteAheadLog.open(spool, MIB, 2, false));
    }

    private static String sop(int i) {
        return SERIES + "." + (i + 1);
    }

    /** Stores {@code count} instances (same data set, distinct SOP Instance UIDs); returns file → bytes. */
    private static Map<Path, byte[]> store(SpoolWriter writer, int count, int rows) throws Exception {
        byte[] dataSet = dataSet(rows);
        List<byte[]> fragments = new ArrayList<>();
        for (int o = 0; o < dataSet.length; o += 16_384) {
            fragments.add(Arrays.copyOfRange(dataSet, o, Math.min(dataSet.length, o + 16_384)));
        }
        Map<Path, byte[]> stored = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            InstanceRecord r = writer.store(SOPClass.CTImageStorage, sop(i), TS, "PACS", fragments, dataSet.length);
            writer.awaitIndexed(); // the file and its row follow the acknowledgement
            stored.put(r.path(), Files.readAllBytes(r.path()));
        }
        return stored;
    }

    @Test
    void spooled_files_are_owner_only_and_so_are_the_folders_made_for_them() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(spool.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Map<Path, byte[]> stored = store(writer(index()), 2, 4);
        for (Path file : stored.keySet()) {
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), file.toString());
            for (Path dir = file.getParent(); !dir.equals(spool); dir = dir.getParent()) {
                assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)), dir.toString());
            }
        }
        try (Stream<Path> wal = Files.list(spool.resolve(WriteAheadLog.DIR))) {
            for (Path segment : wal.filter(Files::isRegularFile).toList()) {
                assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(segment)), segment.toString());
            }
        }
    }

    /** The index is lost as if H2 had not synced: its files are removed. */
    private void loseIndex(StudyIndex index) throws Exception {
        index.close();
        open.remove(index);
        deleteTree(spool.resolve("index"));
    }

    @Test
    void acknowledged_instances_whose_files_and_index_rows_were_lost_are_rewritten_from_the_log_and_indexed() throws Exception {
        StudyIndex before = index();
        Map<Path, byte[]> acknowledged = store(writer(before), 3, 16);
        List<Path> files = new ArrayList<>(acknowledged.keySet());
        Files.delete(files.get(0));
        Files.write(files.get(1), new byte[0]);
        byte[] garbage = new byte[acknowledged.get(files.get(2)).length];
        Files.write(files.get(2), garbage);
        loseIndex(before);

        StudyIndex after = index();
        open.add(writer(after));
        assertEquals(3, new SpoolRecovery(spool, after).recover());

        for (Map.Entry<Path, byte[]> e : acknowledged.entrySet()) {
            assertArrayEquals(e.getValue(), Files.readAllBytes(e.getKey()), e.getKey().toString());
        }
        assertEquals(3, after.instances(STUDY).size());
        assertEquals(3, after.study(STUDY).orElseThrow().instanceCount());
    }

    @Test
    void a_file_that_cannot_be_written_after_the_acknowledgement_stops_the_log_and_is_rewritten_at_the_next_start()
            throws Exception {
        StudyIndex before = index();
        SpoolWriter writer = writer(before);
        store(writer, 1, 16);
        // the second instance's file name is taken by a directory: its rename fails after the record was forced
        Path blocked = spool.resolve("incoming").resolve(STUDY).resolve(SERIES).resolve(sop(1) + ".dcm");
        Files.createDirectories(blocked.resolve("in-the-way"));
        byte[] dataSet = dataSet(16);
        InstanceRecord acknowledged = writer.store(SOPClass.CTImageStorage, sop(1), TS, "PACS", List.of(dataSet), dataSet.length);
        writer.awaitIndexed();
        assertFalse(Files.isRegularFile(acknowledged.path()));
        java.io.IOException refused = assertThrows(java.io.IOException.class,
                () -> writer.store(SOPClass.CTImageStorage, sop(2), TS, "PACS", List.of(dataSet), dataSet.length));
        assertTrue(refused.getMessage().startsWith("TSR-0243"), refused.getMessage());
        writer.close();
        open.remove(writer);

        deleteTree(blocked);
        StudyIndex after = before;
        open.add(writer(after));
        assertEquals(1, new SpoolRecovery(spool, after).recover(), "the acknowledged instance is indexed at restart");
        assertTrue(Files.isRegularFile(acknowledged.path()), "rewritten from the log");
        assertEquals(2, after.instances(STUDY).size());
        assertFalse(after.hasInstance(sop(2)), "the refused one was never acknowledged");
    }

    @Test
    void a_torn_record_at_the_tail_of_the_log_is_not_replayed() throws Exception {
        StudyIndex before = index();
        Map<Path, byte[]> stored = store(writer(before), 2, 16);
        List<Path> files = new ArrayList<>(stored.keySet());
        // the second record's last bytes never reached the disk: flip a byte inside its data
        Path segment = spool.resolve(WriteAheadLog.DIR).resolve("segment-0.wal");
        byte[] wal = Files.readAllBytes(segment);
        int second = indexOf(wal, (sop(1) + ".dcm").getBytes());
        assertTrue(second > 0, "second record in segment 0");
        wal[second + 600] ^= 0x5A;
        Files.write(segment, wal);
        files.forEach(f -> f.toFile().delete());
        loseIndex(before);

        StudyIndex after = index();
        open.add(writer(after));
        assertEquals(1, new SpoolRecovery(spool, after).recover());

        assertArrayEquals(stored.get(files.get(0)), Files.readAllBytes(files.get(0)));
        assertFalse(Files.exists(files.get(1)), "a torn record was never acknowledged");
        assertEquals(List.of(sop(0)), after.instances(STUDY).stream().map(InstanceRecord::sopInstanceUid).toList());
    }

    @Test
    void a_closed_writer_leaves_nothing_to_replay_and_unacknowledged_part_files_are_removed() throws Exception {
        StudyIndex index = index();
        SpoolWriter writer = writer(index);
        List<Path> files = new ArrayList<>(store(writer, 2, 16).keySet());
        writer.close();
        Files.delete(files.get(0)); // cleaned up after processing: must not come back
        Path part = files.get(1).resolveSibling("9.9.9.part");
        Files.write(part, new byte[10]);

        open.add(writer(index));
        assertEquals(0, new SpoolRecovery(spool, index).recover());

        assertFalse(Files.exists(files.get(0)));
        assertTrue(Files.exists(files.get(1)));
        assertFalse(Files.exists(part));
    }

    @Test
    void the_log_ring_wraps_through_checkpoints_and_a_crash_after_it_loses_no_acknowledged_instance() throws Exception {
        StudyIndex before = index();
        // 256×256×2 bytes ≈ 128 KiB each: 24 of them wrap two 1 MiB segments, so segments are checkpointed and reused
        Map<Path, byte[]> acknowledged = store(writer(before), 24, 256);
        loseIndex(before);

        StudyIndex after = index();
        open.add(writer(after));
        assertEquals(24, new SpoolRecovery(spool, after).recover());

        for (Map.Entry<Path, byte[]> e : acknowledged.entrySet()) {
            assertArrayEquals(e.getValue(), Files.readAllBytes(e.getKey()), e.getKey().toString());
        }
        assertEquals(24, after.instances(STUDY).size());
    }

    static byte[] dataSet(int rows) throws Exception {
        AttributeList list = new AttributeList();
        put(list, TagFromName.SOPClassUID, SOPClass.CTImageStorage);
        put(list, TagFromName.StudyInstanceUID, STUDY);
        put(list, TagFromName.SeriesInstanceUID, SERIES);
        put(list, TagFromName.Modality, "CT");
        put(list, TagFromName.Rows, Integer.toString(rows));
        put(list, TagFromName.Columns, Integer.toString(rows));
        put(list, TagFromName.BitsAllocated, "16");
        short[] pixels = new short[rows * rows];
        for (int p = 0; p < pixels.length; p++) {
            pixels[p] = (short) (p % 4000 - 1000);
        }
        Attribute px = new OtherWordAttribute(TagFromName.PixelData);
        px.setValues(pixels);
        list.put(px);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DicomOutputStream out = new DicomOutputStream(bytes, null, TS);
        list.write(out);
        out.flush();
        return bytes.toByteArray();
    }

    private static void put(AttributeList list, AttributeTag tag, String value) throws Exception {
        Attribute a = com.pixelmed.dicom.AttributeFactory.newAttribute(tag);
        a.addValue(value);
        list.put(a);
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static void deleteTree(Path root) throws Exception {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
