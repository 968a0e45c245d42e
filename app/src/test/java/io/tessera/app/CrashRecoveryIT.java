package io.tessera.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import io.tessera.core.Uids;
import io.tessera.testkit.PhantomStudy;
import io.tessera.testkit.RawAssociation;
import io.tessera.testkit.phantom.PhantomSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a real Tessera process (a separate JVM) in the middle of a study, then a restart on the same storage:
 * nothing that was answered Success is lost, and each study version is processed once, with the same output UIDs.
 */
class CrashRecoveryIT {
    private static final String MODEL = "ct-phantom-organs";
    private static final String MODEL_VERSION = CommittedModels.version(MODEL);
    @TempDir Path work;
    private final List<ServerProcess> started = new ArrayList<>();
    private ServerConfig config;
    private int dicomPort;

    @AfterEach
    void stopEveryServerByPid() throws InterruptedException {
        for (ServerProcess s : started) s.close();
    }

    private ServerProcess start() throws Exception {
        if (config == null) {
            config = ServerConfig.in(work).folder("results", work.resolve("results")).ctRoute(MODEL, "results");
            dicomPort = config.dicomPort();
        }
        ServerProcess s = config.startProcess(work.resolve("server.log"));
        started.add(s);
        return s;
    }

    private static PhantomStudy phantom(Path dir, long seed) throws IOException {
        return PhantomStudy.write(new PhantomSpec(seed, 96, 96, 24, 4.0, 6.0, 1, PhantomSpec.DEFAULT_NOISE_HU, 1), dir);
    }

    private Set<String> spooledFileNames(String studyUid) throws IOException {
        Path dir = work.resolve("var").resolve("incoming").resolve(studyUid);
        Set<String> names = new HashSet<>();
        if (!Files.isDirectory(dir)) return names;
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(Files::isRegularFile).forEach(p -> names.add(p.getFileName().toString()));
        }
        return names;
    }

    private static JsonNode awaitState(ServerProcess s, String studyUid, Set<String> states, Duration timeout) {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        try {
            return Awaits.within(timeout, Duration.ofMillis(25)).until(() -> {
                last.set(s.study(studyUid));
                return last.get();
            }, st -> states.contains(st.path("state").asText()));
        } catch (ConditionTimeoutException e) {
            return fail("study never reached " + states + "; last " + last.get() + "\n" + s.tail());
        }
    }

    private List<Path> segFiles(String studyUid) throws IOException {
        Path dir = work.resolve("results").resolve(studyUid);
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".dcm")).sorted().toList();
        }
    }

    private static String expectedSegSop(PhantomStudy study, int version) {
        String series = Uids.derive(study.study().studyInstanceUid(), study.seriesInstanceUid(), Integer.toString(version),
                MODEL, MODEL_VERSION, "seg-series");
        return Uids.derive(series, "seg");
    }

    private static int referencedInstances(Path seg) throws Exception {
        AttributeList l = new AttributeList();
        l.read(seg.toFile(), TagFromName.PixelData);
        SequenceAttribute series = (SequenceAttribute) l.get(TagFromName.ReferencedSeriesSequence);
        int n = 0;
        for (int i = 0; i < series.getNumberOfItems(); i++) {
            n += ((SequenceAttribute) series.getItem(i).getAttributeList().get(TagFromName.ReferencedInstanceSequence))
                    .getNumberOfItems();
        }
        return n;
    }

    @Test
    void every_acknowledged_instance_survives_kill_9_during_ingest_and_the_study_is_processed_once_per_version()
            throws Exception {
        PhantomStudy study = phantom(work.resolve("study"), 7101);
        String uid = study.study().studyInstanceUid();
        int n = study.files().size();
        List<Path> firstHalf = study.files().subList(0, n / 2);
        List<Path> secondHalf = study.files().subList(n / 2, n);

        ServerProcess first = start();
        Path out1 = work.resolve("storescu-1.txt");
        Process p1 = StorescuRun.start(dicomPort, firstHalf, out1);
        assertTrue(p1.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p1.exitValue(), Files.readString(out1));
        // the second half is still being sent when the server dies
        Path out2 = work.resolve("storescu-2.txt");
        Process p2 = StorescuRun.start(dicomPort, secondHalf, out2);
        Awaits.within(Duration.ofSeconds(60), Duration.ofMillis(1)).until(() -> !StorescuRun.acknowledged(out2).isEmpty() || !p2.isAlive());
        first.kill9();
        assertTrue(p2.waitFor(60, TimeUnit.SECONDS));
        Set<String> acked = new HashSet<>(StorescuRun.acknowledged(out1));
        acked.addAll(StorescuRun.acknowledged(out2));
        assertTrue(acked.size() >= n / 2 + 1, "acknowledged before the kill: " + acked.size());

        ServerProcess second = start();
        Set<String> spooled = spooledFileNames(uid);
        assertFalse(spooled.stream().anyMatch(f -> f.endsWith(".part")), "no .part left after restart: " + spooled);
        for (Path f : study.files()) {
            if (!acked.contains(f.getFileName().toString())) continue;
            String sop = new AttributeListHeader(f).sopInstanceUid();
            assertTrue(spooled.contains(sop + ".dcm"), "acknowledged instance " + sop + " lost");
        }
        assertTrue(second.study(uid).path("instances").asInt() >= acked.size(), second.study(uid).toString());

        // the sender retries the whole study: duplicates are idempotent
        Path out3 = work.resolve("storescu-3.txt");
        Process p3 = StorescuRun.start(dicomPort, study.files(), out3);
        assertTrue(p3.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p3.exitValue(), Files.readString(out3));
        // a version re-opened by the resend may still be pending: wait for the final one
        JsonNode done = awaitFinalVersion(second, uid, n);
        assertEquals("DONE", done.path("state").asText(), done + "\n" + second.tail());
        assertEquals(n, done.path("instances").asInt(), "every instance once in the index: " + done);

        int version = done.path("version").asInt();
        List<Path> segs = segFiles(uid);
        Set<String> segNames = new HashSet<>();
        segs.forEach(p -> segNames.add(p.getFileName().toString()));
        assertTrue(segNames.contains(expectedSegSop(study, version) + ".dcm"), "SEG of the final version: " + segNames);
        assertTrue(segs.size() <= version, "at most one SEG per study version: " + segNames + " for version " + version);
        Path finalSeg = work.resolve("results").resolve(uid).resolve(expectedSegSop(study, version) + ".dcm");
        assertEquals(n, referencedInstances(finalSeg), "the final SEG references every instance");
        JsonNode patients = second.get("/fhir/Patient?identifier=" + study.study().patientId());
        String patient = patients.path("entry").get(0).path("resource").path("id").asText();
        JsonNode reports = second.get("/fhir/DiagnosticReport?patient=" + patient);
        assertEquals(1, reports.path("entry").size(), "one DiagnosticReport for the study: " + reports);
    }

    /**
     * The final state of the study's last version. Only a new instance re-opens a study, and the index counts it in
     * the same update that re-opens it: once all {@code n} instances are counted no later version can come, and a final
     * state read with them is the last version's.
     */
    private static JsonNode awaitFinalVersion(ServerProcess s, String uid, int n) {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        try {
            JsonNode done = Awaits.within(Duration.ofSeconds(120), Duration.ofMillis(25)).until(() -> {
                last.set(s.study(uid));
                return last.get();
            }, st -> st.path("instances").asInt() >= n && Set.of("DONE", "FAILED").contains(st.path("state").asText()));
            JsonNode again = s.study(uid);
            assertEquals(done.path("version").asInt(), again.path("version").asInt(), "no later version: " + again);
            return done;
        } catch (ConditionTimeoutException | IOException | InterruptedException e) {
            return fail("the study never settled with all " + n + " instances; last " + last.get() + "\n" + s.tail(), e);
        }
    }

    /** The instance's data set as a sender puts it on the wire (Explicit VR Little Endian, no file meta information). */
    private static byte[] wireDataSet(Path file) throws Exception {
        AttributeList list = new AttributeList();
        list.read(file.toFile());
        list.removeMetaInformationHeaderAttributes();
        list.removeGroupLengthAttributes();
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        com.pixelmed.dicom.DicomOutputStream out = new com.pixelmed.dicom.DicomOutputStream(bytes, null,
                com.pixelmed.dicom.TransferSyntax.ExplicitVRLittleEndian);
        list.write(out);
        out.flush();
        return bytes.toByteArray();
    }

    /** Whether any write-ahead log segment holds these bytes (the chunk of a streamed instance). */
    private boolean logHolds(byte[] needle) throws IOException {
        try (Stream<Path> segments = Files.list(work.resolve("var").resolve("wal"))) {
            for (Path segment : segments.toList()) {
                byte[] wal = Files.readAllBytes(segment);
                outer:
                for (int i = 0; i + needle.length <= wal.length; i++) {
                    for (int j = 0; j < needle.length; j++) {
                        if (wal[i + j] != needle[j]) continue outer;
                    }
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void kill_9_while_an_instance_is_half_received_leaves_no_trace_of_it_and_the_resent_study_completes() throws Exception {
        PhantomStudy study = phantom(work.resolve("study"), 7103);
        String uid = study.study().studyInstanceUid();
        List<Path> files = study.files();
        int n = files.size();
        ServerProcess first = start();
        Path out1 = work.resolve("storescu-1.txt");
        Process p1 = StorescuRun.start(dicomPort, files.subList(0, 3), out1);
        assertTrue(p1.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p1.exitValue(), Files.readString(out1));

        // the fourth instance: its command and the first half of its data set (several PDVs), then the server dies
        Path cut = files.get(3);
        String cutSop = new AttributeListHeader(cut).sopInstanceUid();
        byte[] dataSet = wireDataSet(cut);
        byte[] lastSent;
        try (RawAssociation a = RawAssociation.connect(dicomPort)) {
            RawAssociation.Pdu ac = a.associate("TESSERA", "STORESCU", com.pixelmed.dicom.SOPClass.CTImageStorage,
                    com.pixelmed.dicom.TransferSyntax.ExplicitVRLittleEndian);
            assertEquals(RawAssociation.A_ASSOCIATE_AC, ac.type());
            a.sendPdv(true, true, RawAssociation.storeCommand(com.pixelmed.dicom.SOPClass.CTImageStorage, cutSop));
            int pdv = 4_000;
            int off = 0;
            lastSent = null;
            for (; off + pdv < dataSet.length / 2; off += pdv) {
                lastSent = java.util.Arrays.copyOfRange(dataSet, off, off + pdv);
                a.sendPdv(false, false, lastSent);
            }
            byte[] waitFor = lastSent;
            Awaits.within(Duration.ofSeconds(30), Duration.ofMillis(50)).until(() -> logHolds(waitFor));
            first.kill9();
        }

        ServerProcess second = start();
        Set<String> spooled = spooledFileNames(uid);
        assertFalse(spooled.contains(cutSop + ".dcm") || spooled.contains(cutSop + ".part"),
                "the half-received instance was never acknowledged and must not appear: " + spooled);
        assertEquals(3, second.study(uid).path("instances").asInt(), second.study(uid).toString());
        assertTrue(Files.readString(second.log).contains("TSR-0267"), "the log says an instance was cut off\n" + second.tail());

        // the sender sends the study again: everything is taken once and the study completes
        Path out2 = work.resolve("storescu-2.txt");
        Process p2 = StorescuRun.start(dicomPort, files, out2);
        assertTrue(p2.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p2.exitValue(), Files.readString(out2));
        JsonNode done = awaitFinalVersion(second, uid, n);
        assertEquals("DONE", done.path("state").asText(), done + "\n" + second.tail());
        assertEquals(n, done.path("instances").asInt());
        assertTrue(spooledFileNames(uid).contains(cutSop + ".dcm"));
    }

    @Test
    void kill_9_while_the_study_is_running_resumes_it_after_restart_with_the_same_seg_uid() throws Exception {
        PhantomStudy study = phantom(work.resolve("study"), 7102);
        String uid = study.study().studyInstanceUid();
        ServerProcess first = start();
        Path out = work.resolve("storescu.txt");
        Process p = StorescuRun.start(dicomPort, study.files(), out);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), Files.readString(out));
        JsonNode running = awaitState(first, uid, Set.of("RUNNING", "DELIVERING", "DONE"), Duration.ofSeconds(60));
        first.kill9();
        assertTrue(Set.of("RUNNING", "DELIVERING").contains(running.path("state").asText()),
                "the kill must hit the study while it is processed, not after: " + running);

        ServerProcess second = start();
        JsonNode done = awaitState(second, uid, Set.of("DONE", "FAILED"), Duration.ofSeconds(120));
        assertEquals("DONE", done.path("state").asText(), done + "\n" + second.tail());
        assertEquals(1, done.path("version").asInt(), "a resumed study is the same version, not a new one");
        List<Path> segs = segFiles(uid);
        assertEquals(1, segs.size(), "exactly one SEG in the folder: " + segs);
        assertEquals(expectedSegSop(study, 1) + ".dcm", segs.get(0).getFileName().toString());
        AttributeList l = new AttributeList();
        l.read(segs.get(0).toFile(), TagFromName.PixelData);
        assertEquals(expectedSegSop(study, 1), l.get(TagFromName.SOPInstanceUID).getSingleStringValueOrEmptyString());
        try (Stream<Path> s = Files.list(segs.get(0).getParent())) {
            assertEquals(List.of(), s.filter(f -> f.toString().endsWith(".part")).toList(), "no partial copies left");
        }
    }

    /** The SOP Instance UID of a file, header only. */
    private record AttributeListHeader(Path file) {
        String sopInstanceUid() throws Exception {
            AttributeList l = new AttributeList();
            l.read(file.toFile(), TagFromName.PixelData);
            return l.get(TagFromName.SOPInstanceUID).getSingleStringValueOrEmptyString();
        }
    }
}
