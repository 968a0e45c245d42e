package io.tessera.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tessera.testkit.PostgresPeer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The migrations on a real PostgreSQL: an empty schema gets V1..V3 (no baseline), a second open applies nothing, and
 * the user in the {@link IndexDatabase} the pool is opened with is the one that connects.
 */
class IndexSchemaPostgresIT {
    @Test
    void an_empty_postgresql_schema_is_migrated_once_by_the_user_given() throws Exception {
        String url = PostgresPeer.sharedSchemaUrl(PostgresPeer.USER);
        try (IndexPool db = IndexPool.open(new IndexDatabase(url, PostgresPeer.USER, ""))) {
            assertEquals(IndexPool.Vendor.POSTGRESQL, db.vendor());
            assertEquals(List.of("1", "2", "3", "4", "5"), appliedVersions(db));
            assertEquals(PostgresPeer.USER, db.withConnection(c -> c.getMetaData().getUserName()));
        }
        try (IndexPool db = IndexPool.open(new IndexDatabase(url, PostgresPeer.USER, ""))) {
            assertEquals(List.of("1", "2", "3", "4", "5"), appliedVersions(db), "nothing left to apply");
        }
    }

    private static List<String> appliedVersions(IndexPool db) throws Exception {
        return db.withConnection(c -> {
            List<String> versions = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT version FROM flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank")) {
                while (rs.next()) versions.add(rs.getString(1));
            }
            return versions;
        });
    }
}
