package io.tessera.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** storage.indexPassword: the embedded index opens only with it, and an index made without one is given it once. */
class IndexPasswordTest {
    private static final String PASSWORD = "correct horse 'battery' staple";
    @TempDir Path dir;

    @Test
    void a_new_index_is_made_with_the_password_and_cannot_be_opened_without_it() throws Exception {
        try (StudyIndex index = new StudyIndex(IndexDatabase.embedded(dir, PASSWORD), dir)) {
            index.recordInstance(instance("1.2.3"));
        }

        SQLException e = assertThrows(SQLException.class, () -> DriverManager.getConnection(StudyIndex.defaultJdbcUrl(dir), "sa", "").close());
        assertEquals("28000", e.getSQLState(), "H2 refuses the login: " + e.getMessage());
        try (StudyIndex again = new StudyIndex(IndexDatabase.embedded(dir, PASSWORD), dir)) {
            assertEquals(1, again.instances("1.2").size(), "the same password opens it again, rows kept");
        }
    }

    @Test
    void a_wrong_or_missing_password_refuses_to_open_with_a_clear_code_and_no_secret_in_the_message() {
        new StudyIndex(IndexDatabase.embedded(dir, PASSWORD), dir).close();

        StudyIndex.IndexException wrong = assertThrows(StudyIndex.IndexException.class,
                () -> new StudyIndex(IndexDatabase.embedded(dir, "not-it"), dir));
        assertTrue(wrong.getMessage().startsWith("TSR-0150: ") && wrong.getMessage().contains("storage.indexPassword"), wrong.getMessage());
        assertFalse(wrong.getMessage().contains("not-it"), "the password tried is never printed");

        StudyIndex.IndexException none = assertThrows(StudyIndex.IndexException.class,
                () -> new StudyIndex(IndexDatabase.embedded(dir, ""), dir));
        assertTrue(none.getMessage().startsWith("TSR-0150: "), none.getMessage());
    }

    @Test
    void an_index_made_without_a_password_is_given_the_configured_one_at_its_first_start_with_it() throws Exception {
        try (StudyIndex old = new StudyIndex(StudyIndex.defaultJdbcUrl(dir), dir)) {
            old.recordInstance(instance("1.2.3"));
        }

        try (StudyIndex index = new StudyIndex(IndexDatabase.embedded(dir, PASSWORD), dir)) {
            assertEquals(1, index.instances("1.2").size(), "rows kept");
        }

        assertThrows(SQLException.class, () -> DriverManager.getConnection(StudyIndex.defaultJdbcUrl(dir), "sa", "").close(),
                "from now on the index needs the password");
        try (Connection c = IndexDatabase.embedded(dir, PASSWORD).connect()) {
            assertTrue(c.isValid(1));
        }
        assertThrows(StudyIndex.IndexException.class, () -> new StudyIndex(StudyIndex.defaultJdbcUrl(dir), dir),
                "removing the setting does not open it");
    }

    @Test
    void the_password_is_never_printed() {
        assertFalse(IndexDatabase.embedded(dir, PASSWORD).toString().contains("horse"));
    }

    private InstanceRecord instance(String sop) {
        return new InstanceRecord(sop, "1.2", "1.2.1", "1.2.840.10008.5.1.4.1.1.2", "CT", "CT1",
                dir.resolve("incoming/1.2/1.2.1/" + sop + ".dcm"), 1, Instant.now());
    }
}
