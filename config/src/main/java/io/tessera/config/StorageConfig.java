package io.tessera.config;

import jakarta.validation.constraints.NotBlank;

/**
 * Spool directory and index database. An empty {@code indexUrl} means an embedded H2 database under the spool, whose
 * user is always {@code sa}; {@code indexPassword} is its password (empty: none). With a JDBC {@code indexUrl} (e.g.
 * PostgreSQL), {@code indexUser} and {@code indexPassword} are the credentials Tessera logs in with. The password is
 * best given by environment ({@code TESSERA_STORAGE_INDEXPASSWORD}) and is never printed.
 */
public record StorageConfig(@NotBlank String dir, String indexUrl, String indexUser, String indexPassword) {

    /** The embedded index (or {@code indexUrl}) without credentials. */
    public StorageConfig(String dir, String indexUrl) {
        this(dir, indexUrl, "", "");
    }

    public StorageConfig {
        indexUrl = indexUrl == null ? "" : indexUrl;
        indexUser = indexUser == null ? "" : indexUser;
        indexPassword = indexPassword == null ? "" : indexPassword;
    }

    /** True when the index is the embedded H2 database under {@code dir}. */
    public boolean embeddedIndex() {
        return indexUrl.isBlank();
    }

    /** The password is never printed. */
    @Override
    public String toString() {
        return "StorageConfig[dir=" + dir + ", indexUrl=" + indexUrl + ", indexUser=" + indexUser
                + ", indexPassword=" + (indexPassword.isEmpty() ? "" : "***") + "]";
    }
}
