package io.tessera.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.testkit.FreePorts;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which URLs open, and how a database that cannot be used is reported. */
class IndexPoolTest {
    @TempDir Path dir;

    @Test
    void h2_and_postgresql_urls_are_supported_and_anything_else_is_refused_with_a_code() {
        assertEquals(IndexPool.Vendor.H2, IndexPool.vendorOf(StudyIndex.defaultJdbcUrl(dir)));
        assertEquals(IndexPool.Vendor.POSTGRESQL, IndexPool.vendorOf("jdbc:postgresql://db:5432/tessera"));
        StudyIndex.IndexException e = assertThrows(StudyIndex.IndexException.class,
                () -> IndexPool.open("jdbc:mysql://db/tessera?password=secret"));
        assertTrue(e.getMessage().startsWith("TSR-0157"), e.getMessage());
        assertTrue(!e.getMessage().contains("secret"), "no password in the message: " + e.getMessage());
    }

    @Test
    void a_postgresql_server_that_is_not_there_fails_the_open_at_once_with_a_code() {
        String url = "jdbc:postgresql://127.0.0.1:" + FreePorts.next() + "/tessera?connectTimeout=2";
        StudyIndex.IndexException e = assertThrows(StudyIndex.IndexException.class, () -> IndexPool.open(url));
        assertTrue(e.getMessage().startsWith("TSR-0156: cannot connect to the index database at " + url), e.getMessage());
        StudyIndex.IndexException viaIndex = assertThrows(StudyIndex.IndexException.class, () -> new StudyIndex(url, dir));
        assertTrue(viaIndex.getMessage().startsWith("TSR-0120"), viaIndex.getMessage());
    }

    @Test
    void a_shared_database_outlives_the_stores_on_it() throws Exception {
        try (IndexPool db = IndexPool.open(StudyIndex.defaultJdbcUrl(dir))) {
            new StudyIndex(db, dir, java.time.Clock.systemUTC()).close();
            try (StudyIndex index = new StudyIndex(db, dir, java.time.Clock.systemUTC())) {
                assertEquals(0, index.studies().size(), "still open after the first index closed");
            }
        }
    }
}
