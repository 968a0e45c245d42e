package io.tessera.listener;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The index database's schema — the study index and the tables the routes keep beside it (outbox, reports, jobs,
 * skipped series) — as versioned Flyway migrations under {@code io/tessera/db} ({@code V1__…sql}, …), applied when
 * {@link IndexPool} opens, before any store uses the database. The same migrations run on H2 and PostgreSQL: they
 * use standard SQL (and, where the catalogue must be read, standard JDBC metadata), so there is no vendor folder. On
 * PostgreSQL, Flyway's lock on its history table lets several nodes start at once. A database made before migrations
 * existed has the tables but no history: it is baselined at version 0, and V1, written with IF NOT EXISTS throughout,
 * takes it over. A change to the schema is a new migration, never an edit of an applied one.
 */
public final class IndexSchema {
    private IndexSchema() {}

    /**
     * Brings the database behind {@code dataSource} to the newest schema (serialised within the JVM: stores may open
     * from several threads); {@code where} names it in the error.
     */
    public static void migrate(DataSource dataSource, String where) {
        synchronized (IndexSchema.class) {
            try {
                // outOfOrder: a module's migration numbered below one already applied (V3_2 after V4) still runs;
                // every migration is written with IF NOT EXISTS and touches only its own tables, so order between
                // modules does not matter
                Flyway.configure().dataSource(dataSource).locations("classpath:io/tessera/db")
                        .baselineOnMigrate(true).baselineVersion("0").outOfOrder(true).load().migrate();
            } catch (RuntimeException e) {
                throw new StudyIndex.IndexException("TSR-0125: cannot bring the index database at " + where
                        + " to the current schema: " + e.getMessage(), e);
            }
        }
    }
}
