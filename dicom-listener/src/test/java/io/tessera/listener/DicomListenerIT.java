package io.tessera.listener;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** Against the real dcmtk tools (echoscu, storescu). */
class DicomListenerIT {
    private static final String AE = "TESSERA";

    @TempDir Path spool;
    @TempDir Path fixtures;
    private StudyIndex index;
    private DicomListener listener;

    private void start(Set<String> allowed) {
        index = new StudyIndex(StudyIndex.defaultJdbcUrl(spool), spool);
        listener = new DicomListener(ListenerSettings.loopback(AE, spool).withAllowedCallingAeTitles(allowed), index);
        listener.start();
    }

    @AfterEach
    void stop() {
        if (listener != null) {
            listener.stop(java.time.Duration.ofMillis(300));
        }
        if (index != null) {
            index.close();
        }
    }

    private int run(String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("TCP_NODELAY", "1");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("timed out: " + String.join(" ", command));
        }
        if (p.exitValue() != 0) {
            System.out.println(String.join(" ", command) + " -> " + p.exitValue() + "\n" + new String(out));
        }
        return p.exitValue();
    }

    private int echo(String callingAe) throws Exception {
        return run("echoscu", "-aet", callingAe, "-aec", AE, "127.0.0.1", Integer.toString(listener.port()));
    }

    private int store(String callingAe, List<Path> files) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("storescu", "-aet", callingAe, "-aec", AE,
                "127.0.0.1", Integer.toString(listener.port())));
        files.forEach(f -> cmd.add(f.toString()));
        return run(cmd.toArray(String[]::new));
    }

    private List<Path> spooled() throws IOException {
        Path incoming = spool.resolve("incoming");
        if (!Files.exists(incoming)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(incoming)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Test
    void answers_echo_with_success() throws Exception {
        start(Set.of());
        assertEquals(0, echo("ANYSCU"));
        assertEquals(1, listener.counters().echoes());
    }

    @Test
    void stores_every_instance_durably_and_indexes_it() throws Exception {
        start(Set.of());
        List<Path> files = TinyCt.write(fixtures, 5);
        assertEquals(0, store("MODALITY", files));

        List<Path> onDisk = spooled();
        assertEquals(5, onDisk.size(), onDisk.toString());
        for (int i = 0; i < 5; i++) {
            Path expected = spool.resolve("incoming").resolve(TinyCt.STUDY).resolve(TinyCt.SERIES)
                    .resolve(TinyCt.sop(i) + ".dcm");
            assertTrue(Files.isRegularFile(expected), expected.toString());
            AttributeList read = new AttributeList();
            read.read(expected.toFile());
            assertEquals(TinyCt.sop(i), read.get(TagFromName.SOPInstanceUID).getSingleStringValueOrEmptyString());
            assertEquals("MODALITY", read.get(TagFromName.SourceApplicationEntityTitle).getSingleStringValueOrEmptyString().trim());
            assertEquals(16 * 16, read.get(TagFromName.PixelData).getShortValues().length);
        }
        List<InstanceRecord> rows = index.instances(TinyCt.STUDY);
        assertEquals(5, rows.size());
        assertTrue(rows.stream().allMatch(r -> Files.isRegularFile(r.path()) && "CT".equals(r.modality())
                && "MODALITY".equals(r.callingAe())));
        assertEquals(5, index.study(TinyCt.STUDY).orElseThrow().instanceCount());
        assertEquals(5, listener.counters().instancesStored());
        assertEquals(0, listener.counters().storeFailures());
    }

    @Test
    void rejects_instance_from_unknown_calling_ae() throws Exception {
        start(Set.of("TRUSTED"));
        assertNotEquals(0, store("STRANGER", TinyCt.write(fixtures, 1)));
        assertEquals(List.of(), spooled());
        assertEquals(List.of(), index.studies());
        assertEquals(1, listener.counters().associationsRefused());
        assertEquals(0, store("TRUSTED", TinyCt.write(fixtures, 1)));
        assertEquals(1, spooled().size());
    }

    @Test
    void rejects_association_for_another_called_ae() throws Exception {
        start(Set.of());
        assertNotEquals(0, run("echoscu", "-aet", "SCU", "-aec", "NOTUS", "127.0.0.1", Integer.toString(listener.port())));
        assertEquals(1, listener.counters().associationsRefused());
    }

    @Test
    void keeps_serving_after_garbage_and_truncated_requests() throws Exception {
        start(Set.of());
        byte[] noise = new byte[4096];
        new Random(42).nextBytes(noise);
        try (Socket s = new Socket("127.0.0.1", listener.port()); OutputStream out = s.getOutputStream()) {
            out.write(noise);
            out.flush();
        }
        // an A-ASSOCIATE-RQ cut off in the middle of the AE titles
        try (Socket s = new Socket("127.0.0.1", listener.port()); OutputStream out = s.getOutputStream()) {
            out.write(new byte[] {0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 'T', 'E', 'S'});
            out.flush();
        }
        assertEquals(0, echo("AFTER"));
        assertEquals(0, store("AFTER", TinyCt.write(fixtures, 1)));
        assertEquals(1, spooled().size());
        assertEquals(2, listener.counters().associationsRefused());
    }
}
