package io.tessera.listener;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.PreparedStatement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the index database's login before anything else opens it, and gives an H2 index that has no password yet
 * the configured one. An index made before {@code storage.indexPassword} existed (or before a site set one) has user
 * {@code sa} with an empty password: at the first start with a password configured, Tessera logs in without one and
 * sets it ({@code ALTER USER sa SET PASSWORD}, TSR-0151); from then on the database opens only with it. A wrong
 * password, or none when the index has one, refuses the start (TSR-0150) rather than falling back: that fallback
 * would let anyone who can remove the setting open patient data. Other databases (PostgreSQL) are only logged into:
 * their passwords are the database administrator's to set.
 */
final class IndexLogin {
    private static final Logger log = LoggerFactory.getLogger(IndexLogin.class);
    /** H2's SQLSTATE for a refused login (ErrorCode.WRONG_USER_OR_PASSWORD), and PostgreSQL's for a wrong password. */
    private static final String H2_WRONG_USER_OR_PASSWORD = "28000";
    private static final String PG_INVALID_PASSWORD = "28P01";

    private IndexLogin() {}

    static void check(IndexDatabase db) {
        try (Connection ok = db.connect()) {
            return;
        } catch (SQLException e) {
            if (!refusedLogin(e)) return; // not a login problem: opening reports it with its own code
            if (!db.isH2() || db.password().isEmpty() || !adoptPassword(db)) {
                throw new StudyIndex.IndexException("TSR-0150: the index database at " + db.url() + " refused the login of user "
                        + db.user() + ": wrong storage.indexPassword, or the index has a password and none is configured"
                        + " (set storage.indexPassword, e.g. TESSERA_STORAGE_INDEXPASSWORD, to the password it was given)", e);
            }
        }
    }

    /** Sets the configured password on an H2 index that still has none; false if it has another one. */
    private static boolean adoptPassword(IndexDatabase db) {
        IndexDatabase without = new IndexDatabase(db.url(), db.user(), "");
        // the password is a parameter, so no statement text that H2 might quote in an error carries it
        try (Connection c = without.connect();
             PreparedStatement s = c.prepareStatement("ALTER USER \"" + db.user().toUpperCase(java.util.Locale.ROOT)
                     .replace("\"", "\"\"") + "\" SET PASSWORD ?")) {
            s.setString(1, db.password());
            s.execute();
            log.info("TSR-0151: the index database at {} had no password; storage.indexPassword is now its password"
                    + " (later starts need it)", db.url());
            return true;
        } catch (SQLException e) {
            if (refusedLogin(e)) return false;
            throw new StudyIndex.IndexException("TSR-0152: cannot set storage.indexPassword on the index database at " + db.url()
                    + " (SQLSTATE " + e.getSQLState() + ")", null);
        }
    }

    private static boolean refusedLogin(SQLException e) {
        String state = e.getSQLState();
        return H2_WRONG_USER_OR_PASSWORD.equals(state) || PG_INVALID_PASSWORD.equals(state);
    }
}
