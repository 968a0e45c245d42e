package io.tessera.routes;

import io.tessera.listener.IndexDatabase;
import io.tessera.testkit.PostgresPeer;

/** Every {@link OutboxTest} on a real PostgreSQL server ({@link PostgresPeer}), in a schema of its own. */
class OutboxPostgresIT extends OutboxTest {
    private final String url = PostgresPeer.sharedSchemaUrl(IndexDatabase.EMBEDDED_USER);

    @Override
    String url() {
        return url;
    }
}
