package io.tessera.config;

import jakarta.validation.constraints.NotBlank;

/**
 * Spool directory and index database. An empty {@code indexUrl} means an embedded H2 database under the spool, whose
 * user is always {@code sa}; {@code indexPassword} is its password (empty: none). With a JDBC {@code indexUrl} (e.g.
 * PostgreSQL), {@code indexUser} and {@code indexPassword} are the credentials Tessera logs in with. The password is
 * best given by environment ({@code TESSERA_STORAGE_INDEXPASSWORD}) and is never printed. {@code sharedDir} is the
 * folder every node of a cluster mounts (e.g. NFS) for spooled instances and results; empty on a single node.
 */
public record StorageConfig(@NotBlank String dir, String indexUrl, String indexUser, String indexPassword, String sharedDir) {

    /** The embedded index (or {@code indexUrl}) without credentials. */
    public StorageConfig(String dir, String indexUrl) {
        this(dir, indexUrl, "", "");
    }

    /** One node: no shared folder. */
    public StorageConfig(String dir, String indexUrl, String indexUser, String indexPassword) {
        this(dir, indexUrl, indexUser, indexPassword, "");
    }

    public StorageConfig {
        indexUrl = indexUrl == null ? "" : indexUrl;
        indexUser = indexUser == null ? "" : indexUser;
        indexPassword = indexPassword == null ? "" : indexPassword;
        sharedDir = sharedDir == null ? "" : sharedDir;
    }

    /** True when the index is a PostgreSQL database, which several nodes can share. */
    public boolean postgresIndex() {
        return indexUrl.toLowerCase(java.util.Locale.ROOT).startsWith("jdbc:postgresql://");
    }

    /** True when the index is the embedded H2 database under {@code dir}. */
    public boolean embeddedIndex() {
        return indexUrl.isBlank();
    }

    /** The password is never printed. */
    @Override
    public String toString() {
        return "StorageConfig[dir=" + dir + ", indexUrl=" + indexUrl + ", indexUser=" + indexUser
                + ", indexPassword=" + (indexPassword.isEmpty() ? "" : "***") + ", sharedDir=" + sharedDir + "]";
    }
}
