package io.tessera.fhir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tessera's own store of served FHIR resources, one JSON file (a collection Bundle) per result set under a directory,
 * so a restart serves the same resources again.
 *
 * <p>A result set replaces the stored one with the same {@link FhirResultSet#key()}; storing version n of a study drops
 * every stored set of that study with a lower version (superseded, not duplicated), and a set older than what is
 * stored is ignored. Files are written to a temporary name, forced to disk and atomically moved into place.
 *
 * <p>Thread-safe: writes are serialised, reads see an immutable snapshot.
 */
public final class FhirRepository {
    private static final Logger LOG = LoggerFactory.getLogger(FhirRepository.class);
    private static final String STORE_BASE = "urn:tessera:fhir";

    private final Path dir;
    private final Map<String, FhirResultSet> sets = new HashMap<>(); // guarded by this
    private volatile ResourceIndex index = ResourceIndex.of(List.of());

    /** Opens (creating if needed) the store in {@code dir} and loads what an earlier run stored. */
    public FhirRepository(Path dir) throws IOException {
        this.dir = io.tessera.core.OwnerOnly.createDirectories(dir);
        load();
    }

    /**
     * Stores a result set, superseding older versions of its study.
     *
     * @return false when a newer version of the study is already stored (the set is then ignored)
     */
    public synchronized boolean store(FhirResultSet result) throws IOException {
        int newest = newestVersion(result.studyInstanceUid());
        if (result.studyVersion() < newest) {
            LOG.info("TSR-0610: ignoring result set {} of study version {}: version {} is stored",
                    result.key(), result.studyVersion(), newest);
            return false;
        }
        Bundle bundle = result.toBundle(STORE_BASE);
        write(result.key(), bundle);
        FhirResultSet set = FhirResultSet.fromBundle(bundle.copy()); // a private copy: callers may go on changing theirs
        List<String> superseded = new ArrayList<>();
        for (FhirResultSet old : sets.values()) {
            if (old.studyInstanceUid().equals(set.studyInstanceUid()) && old.studyVersion() < set.studyVersion()
                    && !old.key().equals(set.key())) {
                superseded.add(old.key());
            }
        }
        for (String key : superseded) {
            Files.deleteIfExists(file(key));
            sets.remove(key);
        }
        sets.put(set.key(), set);
        index = ResourceIndex.of(sets.values());
        LOG.info("stored FHIR result set {} (study version {}, {} resources, {} superseded)",
                set.key(), set.studyVersion(), set.resources().size(), superseded.size());
        return true;
    }

    /** The resource as JSON, if stored. */
    public Optional<String> readJson(String type, String id) {
        return read(type, id).map(r -> FhirContexts.r4().newJsonParser().encodeResourceToString(r));
    }

    /** {@code Type/id} of every stored resource, sorted. */
    public List<String> references() {
        return index.references();
    }

    /** A copy of the stored resource. */
    Optional<Resource> read(String type, String id) {
        return index.get(type, id).map(Resource::copy);
    }

    /** Copies of every stored resource of {@code type}. */
    List<Resource> all(String type) {
        List<Resource> out = new ArrayList<>();
        for (Resource r : index.all(type)) out.add(r.copy());
        return out;
    }

    private int newestVersion(String studyUid) {
        int newest = Integer.MIN_VALUE;
        for (FhirResultSet s : sets.values()) {
            if (s.studyInstanceUid().equals(studyUid)) newest = Math.max(newest, s.studyVersion());
        }
        return newest;
    }

    private void write(String key, Bundle bundle) throws IOException {
        byte[] json = FhirContexts.r4().newJsonParser().encodeResourceToString(bundle).getBytes(StandardCharsets.UTF_8);
        Path tmp = dir.resolve(key + ".json.tmp");
        try (FileChannel ch = FileChannel.open(tmp, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING), io.tessera.core.OwnerOnly.file())) {
            ByteBuffer buf = ByteBuffer.wrap(json);
            while (buf.hasRemaining()) ch.write(buf);
            ch.force(true);
        }
        Files.move(tmp, file(key), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private Path file(String key) {
        return dir.resolve(key + ".json");
    }

    private synchronized void load() throws IOException {
        Map<String, FhirResultSet> loaded = new LinkedHashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.{json,tmp}")) {
            for (Path f : files) {
                if (f.getFileName().toString().endsWith(".tmp")) {
                    Files.deleteIfExists(f); // a write that never reached its atomic move
                    continue;
                }
                try {
                    Bundle b = FhirContexts.r4().newJsonParser().parseResource(Bundle.class, Files.readString(f));
                    FhirResultSet set = FhirResultSet.fromBundle(b);
                    loaded.put(set.key(), set);
                } catch (RuntimeException e) {
                    LOG.warn("TSR-0611: skipping unreadable FHIR result set {}: {}", f.getFileName(), e.getMessage());
                }
            }
        }
        // A crash between writing a new version and deleting the old one leaves both: keep the newest only.
        List<FhirResultSet> ordered = new ArrayList<>(loaded.values());
        ordered.sort(Comparator.comparingInt(FhirResultSet::studyVersion).reversed());
        Map<String, Integer> newest = new HashMap<>();
        for (FhirResultSet s : ordered) {
            int top = newest.computeIfAbsent(s.studyInstanceUid(), k -> s.studyVersion());
            if (s.studyVersion() < top) {
                Files.deleteIfExists(file(s.key()));
            } else {
                sets.put(s.key(), s);
            }
        }
        index = ResourceIndex.of(sets.values());
        LOG.info("loaded {} FHIR result sets from {}", sets.size(), dir);
    }
}
