package io.tessera.listener;

import org.flywaydb.core.Flyway;

/**
 * The index database's schema — the study index and the tables the routes keep beside it (outbox, reports, jobs,
 * skipped series) — as versioned Flyway migrations under {@code io/tessera/db} ({@code V1__…sql}, …), applied before
 * any store uses the database. Every store's open calls it, uncached: a database's files may have been replaced since,
 * and an up-to-date schema costs one look at the history table. A database made before migrations existed has the
 * tables but no history: it is baselined at version 0, and V1, written with IF NOT EXISTS throughout, takes it over.
 * A change to the schema is a new migration, never an edit of an applied one.
 */
public final class IndexSchema {
    private IndexSchema() {}

    /** Brings the database at {@code jdbcUrl} (user sa, no password) to the newest schema. */
    public static void migrate(String jdbcUrl) {
        migrate(IndexDatabase.of(jdbcUrl));
    }

    /** Brings {@code db} to the newest schema (serialised: stores open from several threads). */
    public static void migrate(IndexDatabase db) {
        String jdbcUrl = db.url();
        synchronized (IndexSchema.class) {
            try {
                Flyway.configure().dataSource(jdbcUrl, db.user(), db.password()).locations("classpath:io/tessera/db")
                        .baselineOnMigrate(true).baselineVersion("0").load().migrate();
            } catch (RuntimeException e) {
                throw new StudyIndex.IndexException("TSR-0125: cannot bring the index database at " + jdbcUrl
                        + " to the current schema: " + e.getMessage(), e);
            }
        }
    }
}
