package io.tessera.listener;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Where the index database is and how to log in: the JDBC URL, user and password every store opens it with. The
 * embedded H2 database's user is {@code sa}; its password is {@code storage.indexPassword} (empty: none). The password
 * never appears in the URL (URLs are logged and end up in error messages) and is never printed.
 */
public record IndexDatabase(String url, String user, String password) {
    /** H2's user for the embedded index (and the default for a JDBC URL without {@code storage.indexUser}). */
    public static final String EMBEDDED_USER = "sa";

    public IndexDatabase {
        user = user == null || user.isBlank() ? EMBEDDED_USER : user;
        password = password == null ? "" : password;
    }

    /** A database at {@code url} with user {@code sa} and no password (tests, tools). */
    public static IndexDatabase of(String url) {
        return new IndexDatabase(url, EMBEDDED_USER, "");
    }

    /** The embedded H2 index under {@code <spool>/index}, with {@code password} (empty: none). */
    public static IndexDatabase embedded(Path spoolDir, String password) {
        try {
            // H2 would make the folder with the default mode; the index holds patient data: owner only
            io.tessera.core.OwnerOnly.createDirectories(spoolDir.toAbsolutePath().resolve("index"));
        } catch (java.io.IOException e) {
            throw new StudyIndex.IndexException("TSR-0156: cannot make the index folder under " + spoolDir + ": " + e, e);
        }
        return new IndexDatabase(StudyIndex.defaultJdbcUrl(spoolDir), EMBEDDED_USER, password);
    }

    /** True for an H2 database (embedded or server): Tessera may set its password. */
    public boolean isH2() {
        return url.startsWith("jdbc:h2:");
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    /** The password is never printed. */
    @Override
    public String toString() {
        return "IndexDatabase[url=" + url + ", user=" + user + ", password=" + (password.isEmpty() ? "none" : "***") + "]";
    }
}
