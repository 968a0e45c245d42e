package io.tessera.fhir;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.Subscription;

/**
 * The Subscriptions in the index database ({@code fhir_subscription}, migration {@code V3_2}). The server-managed
 * {@code status} and {@code error} live in columns and are laid over the stored body when read; a change of either
 * makes a new version, as a client's update does.
 */
final class SubscriptionStore {
    private final DataSource db;

    SubscriptionStore(DataSource db) {
        this.db = db;
    }

    /** Inserts or replaces {@code s} (its id set) as the next version; returns it as now stored. */
    Subscription put(Subscription s, String criteriaType, long now) throws SQLException {
        String id = s.getIdElement().getIdPart();
        try (Connection c = db.getConnection()) {
            Optional<Subscription> old = read(c, id, false);
            int version = old.map(o -> Integer.parseInt(o.getMeta().getVersionId()) + 1).orElse(1);
            String sql = old.isPresent()
                    ? "UPDATE fhir_subscription SET version_id = ?, last_updated = ?, criteria_type = ?, status = ?, "
                        + "failures = 0, error = NULL, body = ? WHERE id = ?"
                    : "INSERT INTO fhir_subscription (version_id, last_updated, criteria_type, status, body, id, failures) "
                        + "VALUES (?, ?, ?, ?, ?, ?, 0)";
            Subscription body = s.copy();
            body.setError(null);
            body.setMeta(null);
            try (PreparedStatement q = c.prepareStatement(sql)) {
                q.setInt(1, version);
                q.setLong(2, now);
                q.setString(3, criteriaType);
                q.setString(4, s.getStatus().toCode());
                q.setString(5, FhirContexts.r4().newJsonParser().encodeResourceToString(body));
                q.setString(6, id);
                q.executeUpdate();
            }
            return read(c, id, false).orElseThrow();
        }
    }

    Optional<Subscription> read(String id) throws SQLException {
        try (Connection c = db.getConnection()) {
            return read(c, id, false);
        }
    }

    /** Every Subscription, by id. */
    List<Subscription> all() throws SQLException {
        return list("SELECT id, version_id, last_updated, status, error, body FROM fhir_subscription ORDER BY id");
    }

    /** The Subscriptions that want notifications about {@code type} ({@code requested}, {@code active} or {@code error}). */
    static List<Subscription> live(Connection c, String type) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT id, version_id, last_updated, status, error, body FROM "
                + "fhir_subscription WHERE criteria_type = ? AND status IN ('requested', 'active', 'error') ORDER BY id")) {
            q.setString(1, type);
            return rows(q);
        }
    }

    boolean delete(String id) throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement q = c.prepareStatement("DELETE FROM fhir_subscription WHERE id = ?")) {
            q.setString(1, id);
            return q.executeUpdate() == 1;
        }
    }

    /**
     * Records a delivery's outcome: a success clears the failures and makes an {@code error} subscription
     * {@code active}; a failure counts, and the {@code errorAfter}-th in a row sets {@code error} with its reason.
     * Returns the status now.
     */
    Optional<String> outcome(String id, String failure, int errorAfter, long now) throws SQLException {
        try (Connection c = db.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT status, failures FROM fhir_subscription WHERE id = ? FOR UPDATE")) {
                q.setString(1, id);
                String status;
                int failures;
                try (ResultSet rs = q.executeQuery()) {
                    if (!rs.next()) {
                        c.rollback();
                        return Optional.empty();
                    }
                    status = rs.getString(1);
                    failures = rs.getInt(2);
                }
                String next = status;
                if (failure == null) {
                    failures = 0;
                    if (!status.equals("off")) next = "active";
                } else if (++failures >= errorAfter && !status.equals("off")) {
                    next = "error";
                }
                boolean newVersion = !next.equals(status);
                try (PreparedStatement u = c.prepareStatement("UPDATE fhir_subscription SET status = ?, failures = ?, "
                        + "error = ?, version_id = version_id + ?, last_updated = CASE WHEN ? = 1 THEN ? ELSE last_updated END "
                        + "WHERE id = ?")) {
                    u.setString(1, next);
                    u.setInt(2, failures);
                    u.setString(3, next.equals("error") ? clip(failure) : null);
                    u.setInt(4, newVersion ? 1 : 0);
                    u.setInt(5, newVersion ? 1 : 0);
                    u.setLong(6, now);
                    u.setString(7, id);
                    u.executeUpdate();
                }
                c.commit();
                return Optional.of(next);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        }
    }

    private static Optional<Subscription> read(Connection c, String id, boolean lock) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT id, version_id, last_updated, status, error, body FROM "
                + "fhir_subscription WHERE id = ?" + (lock ? " FOR UPDATE" : ""))) {
            q.setString(1, id);
            return rows(q).stream().findFirst();
        }
    }

    private List<Subscription> list(String sql) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            return rows(q);
        }
    }

    private static List<Subscription> rows(PreparedStatement q) throws SQLException {
        List<Subscription> out = new ArrayList<>();
        try (ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                Subscription s = FhirContexts.r4().newJsonParser().parseResource(Subscription.class, rs.getString(6));
                s.setId("Subscription/" + rs.getString(1));
                s.getMeta().setVersionId(Integer.toString(rs.getInt(2))).setLastUpdated(new Date(rs.getLong(3)));
                s.setStatus(Subscription.SubscriptionStatus.fromCode(rs.getString(4)));
                s.setError(rs.getString(5));
                out.add(s);
            }
        }
        return out;
    }

    private static String clip(String s) {
        return s == null || s.length() <= 1000 ? s : s.substring(0, 1000);
    }
}
