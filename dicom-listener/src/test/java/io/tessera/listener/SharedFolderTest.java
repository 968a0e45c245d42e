package io.tessera.listener;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster node's index with a shared folder: two nodes with spools of their own index into one database, each
 * instance is copied to the shared folder before its row exists, and both nodes read every study from there.
 */
class SharedFolderTest {
    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    @TempDir Path work;
    private IndexPool db;
    private StudyIndex ingestA;
    private StudyIndex ingestB;

    @BeforeEach
    void open() {
        db = IndexPool.open(StudyIndex.defaultJdbcUrl(work.resolve("db")));
        SharedFolder shared = new SharedFolder(work.resolve("shared"));
        ingestA = new StudyIndex(db, work.resolve("a"), shared, Clock.systemUTC());
        ingestB = new StudyIndex(db, work.resolve("b"), shared, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        db.close();
    }

    /** A spooled file on {@code node}'s own disk, as the listener leaves it before indexing. */
    private InstanceRecord spooled(Path node, String study, String series, String sop, String bytes) throws Exception {
        Path file = node.resolve("incoming").resolve(study).resolve(series).resolve(sop + ".dcm");
        Files.createDirectories(file.getParent());
        Files.writeString(file, bytes);
        return new InstanceRecord(sop, study, series, "1.2.840.10008.5.1.4.1.1.2", "CT", "CT1", file, bytes.length(), T0);
    }

    @Test
    void two_series_through_two_ingest_nodes_are_one_study_read_from_the_shared_folder() throws Exception {
        assertTrue(ingestA.recordInstance(spooled(work.resolve("a"), "1.9", "1.9.1", "1.9.1.1", "series one")));
        assertTrue(ingestB.recordInstance(spooled(work.resolve("b"), "1.9", "1.9.2", "1.9.2.1", "series two")));

        assertEquals(2, ingestA.study("1.9").orElseThrow().instanceCount(), "one study, both series");
        for (StudyIndex node : new StudyIndex[] {ingestA, ingestB}) {
            for (InstanceRecord r : node.instances("1.9")) {
                assertTrue(r.path().startsWith(work.resolve("shared")), r.path().toString());
                assertTrue(Files.isRegularFile(r.path()), "copied before it was indexed: " + r.path());
            }
        }
        assertEquals("series two", Files.readString(ingestA.instances("1.9").get(1).path()), "node A reads B's instance");
        try (Stream<Path> left = Files.walk(work.resolve("shared"))) {
            assertEquals(0, left.filter(p -> p.toString().endsWith(".part")).count(), "no part file left behind");
        }
    }

    @Test
    void an_instance_that_cannot_be_copied_is_not_indexed() throws Exception {
        InstanceRecord r = spooled(work.resolve("a"), "1.8", "1.8.1", "1.8.1.1", "pixels");
        Files.createDirectories(work.resolve("shared").resolve("incoming"));
        Files.writeString(work.resolve("shared").resolve("incoming").resolve("1.8"), "a file where the study folder goes");

        StudyIndex.IndexException e = assertThrows(StudyIndex.IndexException.class, () -> ingestA.recordInstance(r));
        assertTrue(e.getMessage().startsWith("TSR-1030"), e.getMessage());
        assertFalse(ingestA.hasInstance("1.8.1.1"), "no row for an instance other nodes could not read");
        assertTrue(ingestA.study("1.8").isEmpty(), "so its study cannot complete");
    }

    @Test
    void a_cluster_index_that_does_not_answer_is_reported_as_unavailable_so_the_listener_refuses_with_a700() {
        assertTrue(ingestA.sharedAcrossNodes());
        ingestA.requireReachable();
        db.close();
        StudyIndex.IndexUnavailableException e = assertThrows(StudyIndex.IndexUnavailableException.class,
                ingestA::requireReachable);
        assertTrue(e.getMessage().startsWith("TSR-1032"), e.getMessage());
    }
}
