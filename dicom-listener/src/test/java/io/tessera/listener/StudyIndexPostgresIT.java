package io.tessera.listener;

import io.tessera.testkit.PostgresPeer;

/** Every {@link StudyIndexTest} on a real PostgreSQL server ({@link PostgresPeer}), in a schema of its own. */
class StudyIndexPostgresIT extends StudyIndexTest {
    private final String url = PostgresPeer.sharedSchemaUrl(IndexDatabase.EMBEDDED_USER);

    @Override
    String url() {
        return url;
    }
}
