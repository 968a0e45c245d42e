package io.tessera.routes;

import io.tessera.listener.IndexDatabase;
import io.tessera.testkit.PostgresPeer;

/** {@link IndexTablesRaceTest}'s two nodes on a real PostgreSQL server ({@link PostgresPeer}). */
class IndexTablesRacePostgresIT extends IndexTablesRaceTest {
    private final String url = PostgresPeer.sharedSchemaUrl(IndexDatabase.EMBEDDED_USER);

    @Override
    String url() {
        return url;
    }
}
