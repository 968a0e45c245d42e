package io.tessera.routes;

import java.sql.SQLException;
import io.tessera.listener.IndexDatabase;
import io.tessera.listener.IndexPool;
import io.tessera.listener.IndexSchema;

/**
 * The common ground of the tables the routes keep in the study index's database (outbox, reports, jobs, skipped
 * series): each store borrows connections from an {@link IndexPool} (shared by the composition root, or opened from
 * an {@link IndexDatabase} or a bare URL by the store itself, which then closes it), whose schema is current
 * ({@link IndexSchema}: the tables
 * are made by versioned migrations, not by the stores), and turns a failed statement into an unchecked error that
 * starts with the store's stable code. The SQL is standard, run by H2 and PostgreSQL alike.
 */
public final class IndexTables {
    private IndexTables() {}

    /** A statement that may fail with SQLException. */
    public interface Sql<T> {
        T run() throws SQLException;
    }

    /**
     * Opens a pool on {@code db} (login checked, schema migrated); {@code failure} (e.g. "TSR-0710: cannot open the
     * outbox") heads the error, with the URL (never the password).
     */
    public static IndexPool open(IndexDatabase db, String failure) {
        try {
            return IndexPool.open(db);
        } catch (RuntimeException e) {
            throw new IllegalStateException(failure + " at " + IndexPool.redacted(db.url()) + ": " + e.getMessage(), e);
        }
    }

    public static <T> T sql(String failure, Sql<T> body) {
        try {
            return body.run();
        } catch (SQLException e) {
            throw new IllegalStateException(failure + ": " + e.getMessage(), e);
        }
    }

    /** Closes a database the store opened itself; a shared one ({@code owned} false) stays open. */
    public static void closeIfOwned(IndexPool db, boolean owned) {
        if (!owned) return;
        try {
            db.close();
        } catch (RuntimeException e) {
            // closing at shutdown: nothing is left to save
        }
    }
}
