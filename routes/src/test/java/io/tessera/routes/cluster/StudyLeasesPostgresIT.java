package io.tessera.routes.cluster;

import io.tessera.listener.IndexDatabase;
import io.tessera.testkit.PostgresPeer;

/** Every {@link StudyLeasesTest} on a real PostgreSQL server ({@link PostgresPeer}), in a schema of its own per test. */
class StudyLeasesPostgresIT extends StudyLeasesTest {
    private final String url = PostgresPeer.sharedSchemaUrl(IndexDatabase.EMBEDDED_USER);

    @Override
    String url() {
        return url;
    }
}
