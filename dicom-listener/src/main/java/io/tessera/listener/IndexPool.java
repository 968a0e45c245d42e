package io.tessera.listener;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * The index database as every store sees it: a pool of connections (HikariCP) to the {@link IndexDatabase} (URL, user,
 * password: the credentials are given there, in one place), whose login is checked and whose schema is current.
 * Embedded H2 ({@code jdbc:h2:...}, the default under the spool) and PostgreSQL ({@code jdbc:postgresql://host:port/db})
 * are supported; the stores use SQL that both run. Opening it checks the login ({@link IndexLogin}, which may give a
 * password-less H2 index its password) and migrates the schema ({@link IndexSchema}) once, so the composition root
 * opens one and hands it to every store; a store opened from a bare URL or descriptor opens (and closes) its own.
 */
public final class IndexPool implements AutoCloseable {
    /** The databases the index runs on. */
    public enum Vendor { H2, POSTGRESQL }

    /** Work on a borrowed connection. */
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final IndexDatabase database;
    private final Vendor vendor;
    private final HikariDataSource pool;

    private IndexPool(IndexDatabase database, Vendor vendor, HikariDataSource pool) {
        this.database = database;
        this.vendor = vendor;
        this.pool = pool;
    }

    /** {@link #open(IndexDatabase)} at {@code jdbcUrl} as {@value IndexDatabase#EMBEDDED_USER} without a password. */
    public static IndexPool open(String jdbcUrl) {
        return open(IndexDatabase.of(jdbcUrl));
    }

    /**
     * Checks the login, starts the pool (failing at once if the database cannot be reached) and brings the schema up to
     * date.
     */
    public static IndexPool open(IndexDatabase db) {
        String jdbcUrl = db.url();
        Vendor vendor = vendorOf(jdbcUrl);
        IndexLogin.check(db);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(db.user());
        config.setPassword(db.password());
        config.setPoolName("tessera-index");
        config.setMinimumIdle(1);
        // Each store keeps its own monitor, so a node needs few connections; PostgreSQL's default limit is 100.
        config.setMaximumPoolSize(vendor == Vendor.H2 ? 4 : 8);
        config.setConnectionTimeout(10_000);
        if (vendor == Vendor.H2) {
            // An embedded database's connections never go stale; retiring them could close an in-memory database.
            config.setMaxLifetime(0);
            config.setIdleTimeout(0);
        }
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StudyIndex.IndexException("TSR-0156: cannot connect to the index database at " + redacted(jdbcUrl)
                    + ": " + rootMessage(e), e);
        }
        try {
            IndexSchema.migrate(pool, redacted(jdbcUrl));
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new IndexPool(db, vendor, pool);
    }

    /** Which database a JDBC URL names; anything but H2 and PostgreSQL is refused. */
    public static Vendor vendorOf(String jdbcUrl) {
        String u = jdbcUrl == null ? "" : jdbcUrl.toLowerCase(Locale.ROOT);
        if (u.startsWith("jdbc:h2:")) return Vendor.H2;
        if (u.startsWith("jdbc:postgresql:")) return Vendor.POSTGRESQL;
        throw new StudyIndex.IndexException("TSR-0157: the index database URL '" + redacted(jdbcUrl)
                + "' names no supported database: use jdbc:h2:file:... (embedded) or jdbc:postgresql://host:port/db", null);
    }

    /** A pooled connection in auto-commit mode; closing it returns it to the pool. */
    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /** Runs {@code work} in one transaction on a borrowed connection: committed if it returns, rolled back if it throws. */
    public <T> T inTransaction(Work<T> work) throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** Runs {@code work} on a borrowed connection in auto-commit mode (each statement its own transaction). */
    public <T> T withConnection(Work<T> work) throws SQLException {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        }
    }

    /**
     * True if {@code e} (or a cause) is a unique-key violation (SQLState 23505 on H2 and PostgreSQL alike): another
     * node, or an earlier attempt, inserted the same key first.
     */
    public static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && "23505".equals(s.getSQLState())) return true;
        }
        return false;
    }

    public DataSource dataSource() {
        return pool;
    }

    /** Where the database is and who logs in (the password is never printed). */
    public IndexDatabase database() {
        return database;
    }

    public String url() {
        return database.url();
    }

    public Vendor vendor() {
        return vendor;
    }

    @Override
    public void close() {
        pool.close();
    }

    /** The URL without a password given in it ({@code password=...} query parameter), for messages and logs. */
    public static String redacted(String jdbcUrl) {
        return jdbcUrl == null ? null : jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) t = t.getCause();
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
