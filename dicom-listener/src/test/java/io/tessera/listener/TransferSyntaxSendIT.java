package io.tessera.listener;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * dcmtk storescu sends instances in six transfer syntaxes (two of them over one association; converted by dcmconv,
 * dcmcrle, dcmcjpeg, dcmcjpls) and echoscu checks the service; Tessera's upper layer must accept each, answer each, and store
 * each data set byte for byte as received, in its own transfer syntax.
 */
class TransferSyntaxSendIT {
    private static final String AE = "TESSERA";

    @TempDir Path spool;
    @TempDir Path fixtures;
    private StudyIndex index;
    private DicomListener listener;

    @AfterEach
    void stop() {
        if (listener != null) {
            listener.stop(java.time.Duration.ofMillis(300));
        }
        if (index != null) {
            index.close();
        }
    }

    private void send(List<String> options, List<Path> files) throws Exception {
        List<String> store = new ArrayList<>(List.of("storescu"));
        store.addAll(options);
        store.addAll(List.of("-aet", "MODALITY", "-aec", AE, "127.0.0.1", Integer.toString(listener.port())));
        files.forEach(f -> store.add(f.toString()));
        Tool.run(store).ok();
    }

    @Test
    void every_transfer_syntax_is_stored_as_received_and_echo_answers() throws Exception {
        index = new StudyIndex(StudyIndex.defaultJdbcUrl(spool), spool);
        listener = new DicomListener(ListenerSettings.loopback(AE, spool), index);
        listener.start();
        List<Path> plain = TinyCt.write(fixtures, 6);
        Map<String, List<String>> conversions = new LinkedHashMap<>();
        conversions.put("1.2.840.10008.1.2", List.of("dcmconv", "+ti"));
        conversions.put("1.2.840.10008.1.2.1", List.of("dcmconv", "+te"));
        conversions.put("1.2.840.10008.1.2.2", List.of("dcmconv", "+tb"));
        conversions.put("1.2.840.10008.1.2.4.80", List.of("dcmcjpls"));
        conversions.put("1.2.840.10008.1.2.5", List.of("dcmcrle"));
        conversions.put("1.2.840.10008.1.2.4.70", List.of("dcmcjpeg"));
        List<Path> sent = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, List<String>> c : conversions.entrySet()) {
            Path out = fixtures.resolve("ts-" + i + ".dcm");
            List<String> cmd = new ArrayList<>(c.getValue());
            cmd.add(plain.get(i).toString());
            cmd.add(out.toString());
            Tool.run(cmd).ok();
            assertEquals(c.getKey(), DataSetStructureTest.read(out).transferSyntax(), "fixture " + cmd);
            sent.add(out);
            i++;
        }
        // implicit VR alone (offered beside an explicit one, the policy prefers explicit and storescu converts);
        // explicit little and big endian over one association; compressed ones only when proposed. (Deflated is not
        // here: storescu offers it beside explicit little endian, which the policy prefers, so storescu inflates.)
        send(List.of("-R", "-xi"), sent.subList(0, 1));
        send(List.of("-R"), sent.subList(1, 3));
        send(List.of("-R", "--propose-jls-lossless"), sent.subList(3, 4));
        send(List.of("-R", "--propose-rle"), sent.subList(4, 5));
        send(List.of("-R", "--propose-lossless"), sent.subList(5, 6));
        for (int k = 0; k < 3; k++) {
            Tool.run("echoscu", "-aet", "MODALITY", "-aec", AE, "127.0.0.1", Integer.toString(listener.port())).ok();
        }

        assertEquals(6, listener.counters().instancesStored());
        assertEquals(0, listener.counters().storeFailures());
        assertEquals(3, listener.counters().echoes());
        assertEquals(0, listener.counters().abortedAssociations());
        assertEquals(6, index.instances(TinyCt.STUDY).size(), "indexed by the time storescu saw the release answered");
        for (int k = 0; k < sent.size(); k++) {
            Path stored = spool.resolve("incoming").resolve(TinyCt.STUDY).resolve(TinyCt.SERIES).resolve(TinyCt.sop(k) + ".dcm");
            DataSetStructureTest.Received got = DataSetStructureTest.read(stored);
            DataSetStructureTest.Received want = DataSetStructureTest.read(sent.get(k));
            assertEquals(want.transferSyntax(), got.transferSyntax(), stored.toString());
            assertArrayEquals(want.dataSet(), got.dataSet(), "data set stored byte for byte: " + want.transferSyntax());
            Tool.run("dcmftest", stored.toString()).ok();
        }
        try (Stream<Path> files = Files.walk(spool.resolve("incoming"))) {
            assertEquals(6, files.filter(p -> p.toString().endsWith(".dcm")).count());
        }
    }
}
