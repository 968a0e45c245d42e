package io.tessera.listener;

import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TransferSyntax;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Instances streamed into the write-ahead log while they arrive. A crash is simulated as in {@link SpoolRecoveryTest}:
 * the writer is abandoned, the spooled files and index rows are lost, and a new writer replays the log.
 */
class WalStreamTest {
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

    /** One instance's data set cut as a sender's PDVs would be; pixel values differ per instance. */
    private static List<byte[]> fragments(int instance, int rows, int pdv) throws Exception {
        byte[] d = SpoolRecoveryTest.dataSet(rows);
        for (int k = 1; k <= 64; k++) {
            d[d.length - k * 7] ^= (byte) (instance * 31 + k);
        }
        List<byte[]> out = new ArrayList<>();
        for (int o = 0; o < d.length; o += pdv) {
            out.add(Arrays.copyOfRange(d, o, Math.min(d.length, o + pdv)));
        }
        return out;
    }

    private static long length(List<byte[]> fragments) {
        return fragments.stream().mapToLong(f -> f.length).sum();
    }

    /** Streams every fragment of instance {@code i} as it would arrive, then stores (commits) it. */
    private static InstanceRecord streamWhole(SpoolWriter writer, int i, List<byte[]> fragments) throws Exception {
        InstanceStream stream = writer.openStream();
        fragments.forEach(stream::fragment);
        return writer.store(SOPClass.CTImageStorage, sop(i), TS, "PACS", fragments, length(fragments), null, stream);
    }

    /** Crash: the writer is dropped without close, the files and the index are lost. */
    private void crash(StudyIndex index, List<Path> files) throws Exception {
        for (Path f : files) {
            Files.deleteIfExists(f);
        }
        index.close();
        open.remove(index);
        SpoolRecoveryTest.deleteTree(spool.resolve("index"));
    }

    @Test
    void interleaved_streams_are_restored_from_their_chunks_after_a_crash() throws Exception {
        StudyIndex before = index();
        SpoolWriter writer = writer(before);
        List<byte[]> a = fragments(1, 128, 16_372);
        List<byte[]> b = fragments(2, 128, 4_084);
        InstanceStream sa = writer.openStream();
        InstanceStream sb = writer.openStream();
        assertNotNull(sa, "streaming is on by default");
        // two associations' fragments arrive interleaved
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            if (i < a.size()) sa.fragment(a.get(i));
            if (i < b.size()) sb.fragment(b.get(i));
        }
        InstanceRecord ra = writer.store(SOPClass.CTImageStorage, sop(0), TS, "PACS", a, length(a), null, sa);
        InstanceRecord rb = writer.store(SOPClass.CTImageStorage, sop(1), TS, "PACS", b, length(b), null, sb);
        writer.awaitIndexed();
        byte[] fileA = Files.readAllBytes(ra.path());
        byte[] fileB = Files.readAllBytes(rb.path());
        assertFalse(Arrays.equals(fileA, fileB));
        byte[] segment = Files.readAllBytes(spool.resolve(WriteAheadLog.DIR).resolve("segment-0.wal"));
        assertTrue(SpoolRecoveryTest.indexOf(segment, (sop(0) + ".dcm").getBytes()) > 0, "commit record names the file");
        assertEquals(-1, countRecords(segment), "the log holds chunk and commit records, no full record");
        crash(before, List.of(ra.path(), rb.path()));

        StudyIndex after = index();
        open.add(writer(after));
        assertEquals(2, new SpoolRecovery(spool, after).recover());
        assertArrayEquals(fileA, Files.readAllBytes(ra.path()));
        assertArrayEquals(fileB, Files.readAllBytes(rb.path()));
        assertEquals(2, after.instances(STUDY).size());
    }

    /** -1 if no full (non-streamed) record is in the segment, else its offset. */
    private static int countRecords(byte[] segment) {
        java.nio.ByteBuffer magic = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        magic.putInt(WriteAheadLog.RECORD_MAGIC);
        return SpoolRecoveryTest.indexOf(segment, magic.array());
    }

    @Test
    void an_instance_cut_off_mid_stream_is_never_restored_or_indexed() throws Exception {
        StudyIndex before = index();
        SpoolWriter writer = writer(before);
        List<byte[]> a = fragments(1, 128, 16_372);
        InstanceRecord ra = streamWhole(writer, 0, a);
        writer.awaitIndexed();
        byte[] fileA = Files.readAllBytes(ra.path());
        // the second instance's first half is in the log (forced by the write-behind thread), its end never came
        List<byte[]> b = fragments(2, 128, 16_372);
        InstanceStream sb = writer.openStream();
        b.subList(0, b.size() / 2).forEach(sb::fragment);
        Path segment = spool.resolve(WriteAheadLog.DIR).resolve("segment-0.wal");
        byte[] half = b.get(b.size() / 2 - 1);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(
                () -> SpoolRecoveryTest.indexOf(Files.readAllBytes(segment), half) > 0);
        Path fileB = ra.path().resolveSibling(sop(1) + ".dcm");
        crash(before, List.of(ra.path()));

        StudyIndex after = index();
        open.add(writer(after));
        assertEquals(1, new SpoolRecovery(spool, after).recover());
        assertArrayEquals(fileA, Files.readAllBytes(ra.path()));
        assertFalse(Files.exists(fileB), "never acknowledged, never restored");
        assertFalse(Files.exists(fileB.resolveSibling(sop(1) + ".part")));
        assertEquals(List.of(sop(0)), after.instances(STUDY).stream().map(InstanceRecord::sopInstanceUid).toList());
    }

    @Test
    void a_stream_that_meets_a_full_segment_is_logged_as_one_record_in_the_next() throws Exception {
        StudyIndex before = index();
        SpoolWriter writer = writer(before);
        // 1 MiB segments: the first instance (~0.5 MiB) leaves too little room for the second's chunks
        List<byte[]> a = fragments(1, 512, 16_372);
        InstanceRecord ra = streamWhole(writer, 0, a);
        List<byte[]> b = fragments(2, 512, 16_372);
        InstanceRecord rb = streamWhole(writer, 1, b);
        writer.awaitIndexed();
        byte[] fileA = Files.readAllBytes(ra.path());
        byte[] fileB = Files.readAllBytes(rb.path());
        byte[] next = Files.readAllBytes(spool.resolve(WriteAheadLog.DIR).resolve("segment-1.wal"));
        assertTrue(countRecords(next) > 0, "the spilled stream is one full record in segment 1");
        // segment 0 was checkpointed at the switch (the first file is durable); only the second file can be lost
        crash(before, List.of(rb.path()));

        StudyIndex after = index();
        open.add(writer(after));
        assertEquals(2, new SpoolRecovery(spool, after).recover());
        assertArrayEquals(fileA, Files.readAllBytes(ra.path()));
        assertArrayEquals(fileB, Files.readAllBytes(rb.path()));
    }

    @Test
    void a_torn_chunk_ends_the_scan_so_its_instance_is_not_restored() throws Exception {
        StudyIndex before = index();
        SpoolWriter writer = writer(before);
        List<byte[]> a = fragments(1, 128, 16_372);
        InstanceRecord ra = streamWhole(writer, 0, a);
        List<byte[]> b = fragments(2, 128, 16_372);
        InstanceRecord rb = streamWhole(writer, 1, b);
        writer.awaitIndexed();
        byte[] fileA = Files.readAllBytes(ra.path());
        // one byte of the second instance's last chunk never reached the disk
        Path segment = spool.resolve(WriteAheadLog.DIR).resolve("segment-0.wal");
        byte[] wal = Files.readAllBytes(segment);
        byte[] tail = b.get(b.size() - 1);
        int at = SpoolRecoveryTest.indexOf(wal, tail);
        assertTrue(at > 0);
        wal[at + tail.length / 2] ^= 0x5A;
        Files.write(segment, wal);
        crash(before, List.of(ra.path(), rb.path()));

        StudyIndex after = index();
        open.add(writer(after));
        assertEquals(1, new SpoolRecovery(spool, after).recover());
        assertArrayEquals(fileA, Files.readAllBytes(ra.path()));
        assertFalse(Files.exists(rb.path()));
    }

    @Test
    void streaming_can_be_turned_off_to_measure_it() throws Exception {
        System.setProperty(WriteAheadLog.PROP_STREAM, "false");
        try (WriteAheadLog wal = WriteAheadLog.open(spool, MIB, 2, false)) {
            assertNull(wal.stream());
        } finally {
            System.clearProperty(WriteAheadLog.PROP_STREAM);
        }
    }
}
