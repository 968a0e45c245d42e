package io.tessera.db;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * One job record per series: the {@code jobs} key was (study, version, route, model), so two series of one study
 * overwrote each other's row. Adds {@code series_uid} (old rows get '') and replaces the primary key, whose name the
 * database chose (hence Java, not SQL: the name is read from the catalogue). Standard JDBC metadata and
 * {@code ALTER TABLE} only, so it runs on H2 and PostgreSQL; a table already in the new shape is left alone.
 */
public class V3__JobsPerSeries extends BaseJavaMigration {
    static final List<String> KEY = List.of("study_uid", "study_version", "series_uid", "route", "model");

    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
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
        try (Statement s = c.createStatement()) {
            if (!hasSeries) s.execute("ALTER TABLE jobs ADD COLUMN series_uid VARCHAR(64) DEFAULT '' NOT NULL");
            if (keyName != null) {
                String q = meta.getIdentifierQuoteString().trim();
                s.execute("ALTER TABLE jobs DROP CONSTRAINT " + q + keyName + q);
            }
            s.execute("ALTER TABLE jobs ADD CONSTRAINT jobs_pk PRIMARY KEY (" + String.join(", ", KEY) + ")");
        }
    }

    /** An unquoted identifier as the catalogue stores it (H2: upper case, PostgreSQL: lower case). */
    private static String name(DatabaseMetaData meta, String identifier) throws SQLException {
        return meta.storesUpperCaseIdentifiers() ? identifier.toUpperCase(Locale.ROOT) : identifier.toLowerCase(Locale.ROOT);
    }
}
