package io.tessera.fhir;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tessera's own store of served FHIR resources, in the index database: the result sets as they were made
 * ({@code fhir_result_set}) and every version of every resource made from them ({@link FhirStore}).
 *
 * <p>Storing a study's version n replaces the result sets of its lower versions (a set older than what is stored is
 * ignored). What an EHR may already have read never disappears: the study's DiagnosticReport keeps its id and gains a
 * version with status {@code amended}; Observations of the superseded version gain a version with status
 * {@code entered-in-error}; the ImagingStudy lists the series of every current result set of the study. Each store is
 * one transaction.
 */
public final class FhirRepository {
    private static final Logger LOG = LoggerFactory.getLogger(FhirRepository.class);
    private static final String STORE_BASE = "urn:tessera:fhir";

    private final FhirStore store;
    private final Clock clock;
    private volatile Subscriptions subscriptions; // null: no Subscriptions served, no notices queued

    /** The store in the index database behind {@code db} (schema migration {@code V3_1__fhir_store}). */
    public FhirRepository(DataSource db) {
        this(db, Clock.systemUTC());
    }

    public FhirRepository(DataSource db, Clock clock) {
        this.store = new FhirStore(db);
        this.clock = clock;
    }

    /**
     * Stores a result set, superseding older versions of its study.
     *
     * @return the set as stored, with the report's stored status and what it retracted (for a push); empty when a
     *     newer version of the study is already stored (the set is then ignored)
     */
    public Optional<FhirResultSet> store(FhirResultSet result) throws IOException {
        try {
            return inTransaction(c -> storeIn(c, result));
        } catch (SQLException e) {
            throw new IOException("TSR-0612: cannot store FHIR result set " + result.key() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Takes over result sets that an earlier Tessera kept as JSON files in {@code dir} (oldest study version first)
     * and moves each file into {@code dir/imported}; returns how many were taken.
     */
    public int importFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return 0;
        List<FhirResultSet> sets = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> found = Files.newDirectoryStream(dir, "*.json")) {
            for (Path f : found) {
                try {
                    Bundle b = FhirContexts.r4().newJsonParser().parseResource(Bundle.class, Files.readString(f));
                    sets.add(FhirResultSet.fromBundle(b));
                    files.add(f);
                } catch (RuntimeException e) {
                    LOG.warn("TSR-0611: skipping unreadable FHIR result set {}: {}", f.getFileName(), e.getMessage());
                }
            }
        }
        sets.sort(Comparator.comparingInt(FhirResultSet::studyVersion));
        for (FhirResultSet s : sets) store(s);
        Path done = io.tessera.core.OwnerOnly.createDirectories(dir.resolve("imported"));
        for (Path f : files) Files.move(f, done.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        if (!sets.isEmpty()) LOG.info("took over {} FHIR result sets from files into the index database", sets.size());
        return sets.size();
    }

    /**
     * Serves {@code Subscription} on the endpoint and, from now on, queues a notice for every new version of a
     * resource a Subscription's criteria match, in the same transaction as the version.
     */
    public FhirRepository withSubscriptions(Subscriptions s) {
        this.subscriptions = s;
        return this;
    }

    Subscriptions subscriptions() {
        return subscriptions;
    }

    /** The current version of the resource as JSON, if stored. */
    public Optional<String> readJson(String type, String id) {
        return read(type, id).map(r -> FhirContexts.r4().newJsonParser().encodeResourceToString(r));
    }

    /** {@code Type/id} of every stored resource, sorted. */
    public List<String> references() {
        return sql(store::references);
    }

    Optional<Resource> read(String type, String id) {
        return sql(() -> store.read(type, id));
    }

    Optional<Resource> vread(String type, String id, int version) {
        return sql(() -> store.vread(type, id, version));
    }

    List<Resource> history(String type, String id) {
        return sql(() -> store.history(type, id));
    }

    List<Resource> load(String type, List<String> ids) {
        return sql(() -> store.load(type, ids));
    }

    DataSource dataSource() {
        return store.dataSource();
    }

    /** Runs a search now; the matches are fixed then and paged later ({@link SnapshotBundle}). */
    ca.uhn.fhir.rest.api.server.IBundleProvider search(SearchSpec spec) {
        Includes.check(spec.type(), spec.includes(), spec.revIncludes());
        SearchSql q = SearchSql.of(spec);
        List<String> ids = sql(() -> {
            List<String> out = new ArrayList<>();
            try (Connection c = store.dataSource().getConnection(); PreparedStatement s = c.prepareStatement(q.sql.toString())) {
                for (int i = 0; i < q.binds.size(); i++) s.setObject(i + 1, q.binds.get(i));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) out.add(rs.getString(1));
                }
            }
            return out;
        });
        return new SnapshotBundle(this, spec.type(), ids, spec.includes(), spec.revIncludes(), new java.util.Date(clock.millis()));
    }

    private Optional<FhirResultSet> storeIn(Connection c, FhirResultSet set) throws SQLException {
        Map<String, FhirResultSet> before = setsOf(c, set.studyInstanceUid());
        int newest = before.values().stream().mapToInt(FhirResultSet::studyVersion).max().orElse(Integer.MIN_VALUE);
        if (set.studyVersion() < newest) {
            LOG.info("TSR-0610: ignoring result set {} of study version {}: version {} is stored",
                    set.key(), set.studyVersion(), newest);
            return Optional.empty();
        }
        Map<String, FhirResultSet> after = new LinkedHashMap<>();
        before.forEach((k, s) -> {
            if (s.studyVersion() >= set.studyVersion() && !k.equals(set.key())) after.put(k, s);
        });
        after.put(set.key(), set);
        writeSets(c, before, after);
        FhirResultSet earlier = before.get(set.key());
        boolean amended = earlier != null && earlier.studyVersion() < set.studyVersion();
        long now = clock.millis();
        Map<String, Resource> oldView = ResultView.of(before.values());
        Map<String, Resource> newView = ResultView.of(after.values());
        int versions = 0;
        List<Resource> written = new ArrayList<>();
        DiagnosticReport storedReport = set.report();
        for (Resource r : newView.values()) {
            Resource toWrite = r;
            if (r instanceof DiagnosticReport d && d.getIdElement().getIdPart().equals(set.reportId())
                    && (amended || wasAmended(c, d))) {
                toWrite = d.copy().setStatus(DiagnosticReport.DiagnosticReportStatus.AMENDED);
            }
            Resource stored = FhirStore.put(c, toWrite, now);
            written.add(stored);
            if (toWrite instanceof DiagnosticReport d && d.getIdElement().getIdPart().equals(set.reportId())) {
                storedReport = (DiagnosticReport) stored;
            }
            versions++;
        }
        List<Resource> retractedResources = new ArrayList<>();
        for (Map.Entry<String, Resource> gone : oldView.entrySet()) {
            if (newView.containsKey(gone.getKey())) continue;
            Resource r = gone.getValue();
            if (r instanceof Observation o) {
                retractedResources.add(FhirStore.put(c, o.copy().setStatus(Observation.ObservationStatus.ENTEREDINERROR), now));
            } else if (r instanceof DiagnosticReport d) {
                retractedResources.add(FhirStore.put(c,
                        d.copy().setStatus(DiagnosticReport.DiagnosticReportStatus.ENTEREDINERROR), now));
            }
        }
        written.addAll(retractedResources);
        // versions written now (an unchanged resource keeps its earlier lastUpdated): each match is one notice
        written.removeIf(r -> r.getMeta().getLastUpdated() == null || r.getMeta().getLastUpdated().getTime() != now);
        Subscriptions subs = subscriptions;
        if (subs != null) subs.queueMatches(c, written);
        LOG.info("stored FHIR result set {} (study version {}, {} resources, {} superseded result(s) retracted)",
                set.key(), set.studyVersion(), versions, retractedResources.size());
        return Optional.of(set.asStored(storedReport, retractedResources));
    }

    /** A redelivered set of an amended report stays amended (otherwise it would flip back to preliminary). */
    private static boolean wasAmended(Connection c, DiagnosticReport d) throws SQLException {
        return FhirStore.current(c, "DiagnosticReport", d.getIdElement().getIdPart(), false)
                .map(r -> ((DiagnosticReport) r).getStatus() == DiagnosticReport.DiagnosticReportStatus.AMENDED)
                .orElse(false);
    }

    private static Map<String, FhirResultSet> setsOf(Connection c, String studyUid) throws SQLException {
        Map<String, FhirResultSet> out = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT set_key, bundle FROM fhir_result_set WHERE study_uid = ? FOR UPDATE")) {
            s.setString(1, studyUid);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Bundle b = FhirContexts.r4().newJsonParser().parseResource(Bundle.class, rs.getString(2));
                    out.put(rs.getString(1), FhirResultSet.fromBundle(b));
                }
            }
        }
        return out;
    }

    private static void writeSets(Connection c, Map<String, FhirResultSet> before, Map<String, FhirResultSet> after)
            throws SQLException {
        for (String key : before.keySet()) {
            if (after.containsKey(key) && after.get(key) == before.get(key)) continue;
            try (PreparedStatement s = c.prepareStatement("DELETE FROM fhir_result_set WHERE set_key = ?")) {
                s.setString(1, key);
                s.executeUpdate();
            }
        }
        for (FhirResultSet set : after.values()) {
            if (before.get(set.key()) == set) continue;
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO fhir_result_set (set_key, study_uid, study_version, bundle) VALUES (?, ?, ?, ?)")) {
                s.setString(1, set.key());
                s.setString(2, set.studyInstanceUid());
                s.setInt(3, set.studyVersion());
                s.setString(4, FhirContexts.r4().newJsonParser().encodeResourceToString(set.toBundle(STORE_BASE)));
                s.executeUpdate();
            }
        }
    }

    // Writers of one study take turns inside the JVM; across nodes the row locks of fhir_result_set and of the
    // current resource versions (SELECT ... FOR UPDATE) order them.
    private synchronized <T> T inTransaction(SqlWork<T> work) throws SQLException {
        try (Connection c = store.dataSource().getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        }
    }

    private interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    interface SqlRead<T> {
        T get() throws SQLException;
    }

    static <T> T sql(SqlRead<T> read) {
        try {
            return read.get();
        } catch (SQLException e) {
            throw new FhirStoreException("TSR-0613: the FHIR store cannot be read: " + e.getMessage(), e);
        }
    }

    /** The index database failed while serving FHIR; the server answers 500 with this message. */
    static final class FhirStoreException extends ca.uhn.fhir.rest.server.exceptions.InternalErrorException {
        FhirStoreException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
