package io.tessera.routes;

import io.tessera.listener.IndexDatabase;
import io.tessera.testkit.PostgresPeer;

/** Every {@link OutboxNodesTest} on a real PostgreSQL server ({@link PostgresPeer}), in a schema of its own. */
class OutboxNodesPostgresIT extends OutboxNodesTest {
    private final String url = PostgresPeer.sharedSchemaUrl(IndexDatabase.EMBEDDED_USER);

    @Override
    String url() {
        return url;
    }
}
