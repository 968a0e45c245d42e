package io.tessera.routes.cluster;

import io.tessera.listener.IndexDatabase;
import io.tessera.testkit.PostgresPeer;

/** {@link ClusterStatusTest} on a real PostgreSQL server ({@link PostgresPeer}), in a schema of its own. */
class ClusterStatusPostgresIT extends ClusterStatusTest {
    private final String url = PostgresPeer.sharedSchemaUrl(IndexDatabase.EMBEDDED_USER);

    @Override
    String url() {
        return url;
    }
}
