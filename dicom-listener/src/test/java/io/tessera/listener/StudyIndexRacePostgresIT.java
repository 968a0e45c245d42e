package io.tessera.listener;

import io.tessera.testkit.PostgresPeer;

/** {@link StudyIndexRaceTest}'s two nodes on a real PostgreSQL server ({@link PostgresPeer}). */
class StudyIndexRacePostgresIT extends StudyIndexRaceTest {
    private final String url = PostgresPeer.sharedSchemaUrl(IndexDatabase.EMBEDDED_USER);

    @Override
    String url() {
        return url;
    }
}
