package io.tessera.routes;

import java.sql.Connection;
import java.sql.SQLException;
import io.tessera.listener.IndexDatabase;
import io.tessera.listener.IndexSchema;

/**
 * The common ground of the tables the routes keep in the study index's database (outbox, reports, jobs, skipped
 * series): each store opens its own connection once the schema is current ({@link IndexSchema}: the tables are made
 * by versioned migrations, not by the stores), and turns a failed statement into an unchecked error that starts with
 * the store's stable code.
 */
public final class IndexTables {
    private IndexTables() {}

    /** A statement that may fail with SQLException. */
    public interface Sql<T> {
        T run() throws SQLException;
    }

    /** Migrates the schema if needed and opens a connection; {@code failure} (e.g. "TSR-0710: cannot open the outbox") heads the error. */
    public static Connection open(String jdbcUrl, String failure) {
        return open(IndexDatabase.of(jdbcUrl), failure);
    }

    /** As {@link #open(String, String)}, logging in with {@code db}'s user and password. */
    public static Connection open(IndexDatabase db, String failure) {
        try {
            IndexSchema.migrate(db);
            return db.connect();
        } catch (SQLException e) {
            throw new IllegalStateException(failure + " at " + db.url() + ": " + e.getMessage(), e);
        }
    }

    public static <T> T sql(String failure, Sql<T> body) {
        try {
            return body.run();
        } catch (SQLException e) {
            throw new IllegalStateException(failure + ": " + e.getMessage(), e);
        }
    }

    public static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            // closing at shutdown: nothing is left to save
        }
    }
}
