package io.tessera.routes;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code jobs} table's shape, and the migration of a table made before the series was part of its key (the key
 * was (study, version, route, model), so two series of one study overwrote each other's row). Opening an old
 * database adds {@code series_uid} (old rows get '') and replaces the primary key. Each step checks the catalogue
 * first, so a migration stopped half-way finishes at the next start. Only JDBC metadata and standard
 * {@code ALTER TABLE} are used, so the same code runs on H2 and PostgreSQL.
 */
final class JobsSchema {
    static final String CREATE = """
            CREATE TABLE IF NOT EXISTS jobs (
              study_uid VARCHAR(64) NOT NULL, study_version INT NOT NULL, series_uid VARCHAR(64) DEFAULT '' NOT NULL,
              route VARCHAR(128) NOT NULL, model VARCHAR(128) NOT NULL, model_version VARCHAR(64), onnx_sha256 VARCHAR(64),
              provider VARCHAR(32), state VARCHAR(16) NOT NULL, seg_sop_uid VARCHAR(64), code VARCHAR(16),
              reason VARCHAR(4000), finished TIMESTAMP WITH TIME ZONE NOT NULL,
              CONSTRAINT jobs_pk PRIMARY KEY (study_uid, study_version, series_uid, route, model))""";

    static final List<String> KEY = List.of("study_uid", "study_version", "series_uid", "route", "model");

    private JobsSchema() {}

    /** Brings an existing {@code jobs} table to {@link #CREATE}'s shape; a no-op on a current one. */
    static void migrate(Connection c) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        String table = name(meta, "jobs");
        String schema = c.getSchema();
        boolean hasSeries;
        try (ResultSet rs = meta.getColumns(null, schema, table, name(meta, "series_uid"))) {
            hasSeries = rs.next();
        }
        List<String> keyColumns = new ArrayList<>();
        String keyName = null;
        try (ResultSet rs = meta.getPrimaryKeys(null, schema, table)) {
            while (rs.next()) {
                keyColumns.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                keyName = rs.getString("PK_NAME");
            }
        }
        if (hasSeries && keyColumns.contains("series_uid")) return;
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false); // one transaction where the database has transactional DDL (PostgreSQL)
        try (Statement s = c.createStatement()) {
            if (!hasSeries) s.execute("ALTER TABLE jobs ADD COLUMN series_uid VARCHAR(64) DEFAULT '' NOT NULL");
            if (keyName != null) {
                String q = meta.getIdentifierQuoteString().trim();
                s.execute("ALTER TABLE jobs DROP CONSTRAINT " + q + keyName + q);
            }
            s.execute("ALTER TABLE jobs ADD CONSTRAINT jobs_pk PRIMARY KEY (" + String.join(", ", KEY) + ")");
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /** An unquoted identifier as the catalogue stores it (H2: upper case, PostgreSQL: lower case). */
    private static String name(DatabaseMetaData meta, String identifier) throws SQLException {
        return meta.storesUpperCaseIdentifiers() ? identifier.toUpperCase(Locale.ROOT) : identifier.toLowerCase(Locale.ROOT);
    }
}
