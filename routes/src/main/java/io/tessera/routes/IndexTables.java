package io.tessera.routes;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The common ground of the tables the routes keep in the study index's database (outbox, reports, jobs): each store
 * opens its own connection and creates its tables, and turns a failed statement into an unchecked error that starts
 * with the store's stable code.
 */
public final class IndexTables {
    private IndexTables() {}

    /** A statement that may fail with SQLException. */
    public interface Sql<T> {
        T run() throws SQLException;
    }

    /** Opens a connection and runs the DDL; {@code failure} (e.g. "TSR-0710: cannot open the outbox") heads the error. */
    public static Connection open(String jdbcUrl, String failure, String... ddl) {
        try {
            Connection c = DriverManager.getConnection(jdbcUrl, "sa", "");
            try (Statement s = c.createStatement()) {
                for (String statement : ddl) s.execute(statement);
            }
            return c;
        } catch (SQLException e) {
            throw new IllegalStateException(failure + " at " + jdbcUrl + ": " + e.getMessage(), e);
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
