package io.tessera.routes.reports;

import io.tessera.listener.IndexDatabase;
import io.tessera.testkit.PostgresPeer;

/** Every {@link ReportIntakeTest} (report store included) on a real PostgreSQL server ({@link PostgresPeer}). */
class ReportIntakePostgresIT extends ReportIntakeTest {
    private final String url = PostgresPeer.sharedSchemaUrl(IndexDatabase.EMBEDDED_USER);

    @Override
    String url() {
        return url;
    }
}
