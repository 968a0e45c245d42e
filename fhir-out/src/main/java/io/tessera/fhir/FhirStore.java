package io.tessera.fhir;

import ca.uhn.fhir.parser.IParser;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.Resource;

/**
 * Every version of every served resource, in the index database ({@code fhir_resource}), with the search index of
 * the current versions ({@code fhir_search}). A write that changes nothing but {@code meta} keeps the current version,
 * so a redelivered result makes no new version; any other change adds version n+1 with a new {@code lastUpdated}, and
 * the old version stays readable (vread, history). Nothing is ever deleted.
 */
final class FhirStore {
    private final DataSource db;

    FhirStore(DataSource db) {
        this.db = db;
    }

    DataSource dataSource() {
        return db;
    }

    /**
     * Writes {@code r} as the new current version of its type and id unless it equals the current one (ignoring
     * meta); returns what is now current, with {@code meta.versionId} and {@code meta.lastUpdated}.
     */
    static Resource put(Connection c, Resource r, long now) throws SQLException {
        String type = r.fhirType();
        String id = r.getIdElement().getIdPart();
        Optional<Resource> current = current(c, type, id, true);
        if (current.isPresent() && sameContent(current.get(), r)) return current.get();
        int version = current.map(x -> Integer.parseInt(x.getMeta().getVersionId()) + 1).orElse(1);
        Resource stored = r.copy();
        stored.setId(type + "/" + id);
        stored.getMeta().setVersionId(Integer.toString(version));
        stored.getMeta().setLastUpdated(new Date(now));
        if (current.isPresent()) {
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE fhir_resource SET is_current = FALSE WHERE res_type = ? AND res_id = ? AND is_current = TRUE")) {
                s.setString(1, type);
                s.setString(2, id);
                s.executeUpdate();
            }
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO fhir_resource (res_type, res_id, version_id, "
                + "last_updated, is_current, body) VALUES (?, ?, ?, ?, TRUE, ?)")) {
            s.setString(1, type);
            s.setString(2, id);
            s.setInt(3, version);
            s.setLong(4, now);
            s.setString(5, parser().encodeResourceToString(stored));
            s.executeUpdate();
        }
        reindex(c, stored);
        return stored;
    }

    /** The current version, locked for update when {@code lock} (two writers of one resource take turns). */
    static Optional<Resource> current(Connection c, String type, String id, boolean lock) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT body FROM fhir_resource WHERE res_type = ? AND res_id = ? "
                + "AND is_current = TRUE" + (lock ? " FOR UPDATE" : ""))) {
            s.setString(1, type);
            s.setString(2, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(parse(rs.getString(1))) : Optional.empty();
            }
        }
    }

    Optional<Resource> read(String type, String id) throws SQLException {
        try (Connection c = db.getConnection()) {
            return current(c, type, id, false);
        }
    }

    Optional<Resource> vread(String type, String id, int version) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT body FROM fhir_resource WHERE res_type = ? AND res_id = ? AND version_id = ?")) {
            s.setString(1, type);
            s.setString(2, id);
            s.setInt(3, version);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(parse(rs.getString(1))) : Optional.empty();
            }
        }
    }

    /** Every version of one resource, newest first. */
    List<Resource> history(String type, String id) throws SQLException {
        List<Resource> out = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT body FROM fhir_resource WHERE res_type = ? AND res_id = ? ORDER BY version_id DESC")) {
            s.setString(1, type);
            s.setString(2, id);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) out.add(parse(rs.getString(1)));
            }
        }
        return out;
    }

    /** The current versions of {@code ids} (all of one type), in the order given; ids no longer stored are skipped. */
    List<Resource> load(String type, List<String> ids) throws SQLException {
        Map<String, Resource> found = new LinkedHashMap<>();
        if (ids.isEmpty()) return List.of();
        try (Connection c = db.getConnection()) {
            for (int from = 0; from < ids.size(); from += 100) {
                List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 100));
                String marks = String.join(",", java.util.Collections.nCopies(chunk.size(), "?"));
                try (PreparedStatement s = c.prepareStatement("SELECT res_id, body FROM fhir_resource WHERE res_type = ? "
                        + "AND is_current = TRUE AND res_id IN (" + marks + ")")) {
                    s.setString(1, type);
                    for (int i = 0; i < chunk.size(); i++) s.setString(i + 2, chunk.get(i));
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) found.put(rs.getString(1), parse(rs.getString(2)));
                    }
                }
            }
        }
        List<Resource> out = new ArrayList<>();
        for (String id : ids) if (found.containsKey(id)) out.add(found.get(id));
        return out;
    }

    /** {@code Type/id} of every current resource, sorted. */
    List<String> references() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT res_type, res_id FROM fhir_resource WHERE is_current = TRUE ORDER BY res_type, res_id");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) out.add(rs.getString(1) + "/" + rs.getString(2));
        }
        return out;
    }

    private static void reindex(Connection c, Resource stored) throws SQLException {
        String type = stored.fhirType();
        String id = stored.getIdElement().getIdPart();
        try (PreparedStatement s = c.prepareStatement("DELETE FROM fhir_search WHERE res_type = ? AND res_id = ?")) {
            s.setString(1, type);
            s.setString(2, id);
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO fhir_search (res_type, res_id, param, sys, val, norm, "
                + "low, high) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (IndexRow row : SearchIndexer.rows(stored)) {
                s.setString(1, type);
                s.setString(2, id);
                s.setString(3, row.param());
                s.setString(4, cut(row.sys()));
                s.setString(5, cut(row.val()));
                s.setString(6, cut(row.norm()));
                s.setObject(7, row.low(), java.sql.Types.BIGINT);
                s.setObject(8, row.high(), java.sql.Types.BIGINT);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** Index columns hold 512 characters; a longer value is indexed by its start (string search matches prefixes). */
    private static String cut(String s) {
        return s == null || s.length() <= 512 ? s : s.substring(0, 512);
    }

    private static boolean sameContent(Resource a, Resource b) {
        Resource x = a.copy();
        Resource y = b.copy();
        x.getMeta().setVersionId(null).setLastUpdated(null);
        y.getMeta().setVersionId(null).setLastUpdated(null);
        x.setId(a.getIdElement().getIdPart());
        y.setId(b.getIdElement().getIdPart());
        return parser().encodeResourceToString(x).equals(parser().encodeResourceToString(y));
    }

    static Resource parse(String json) {
        return (Resource) parser().parseResource(json);
    }

    private static IParser parser() {
        return FhirContexts.r4().newJsonParser();
    }
}
