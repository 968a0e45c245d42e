package io.tessera.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tessera.listener.StudyIndex;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On embedded H2; {@link SeriesDecisionsPostgresIT} runs the same on a real PostgreSQL. */
class SeriesDecisionsTest {
    @TempDir
    Path dir;

    String url() {
        return StudyIndex.defaultJdbcUrl(dir);
    }

    static SkippedSeries skip(String series, String kind) {
        return new SkippedSeries("ct-organs", series, "3", "Dose Report", kind, "series 3 'Dose Report': " + kind);
    }

    @Test
    void a_study_versions_skipped_series_are_kept_in_plan_order_and_replanning_replaces_them() {
        try (SeriesDecisions d = new SeriesDecisions(url())) {
            d.record("1.2", 1, List.of(skip("1.2.9", "secondary-capture"), skip("1.2.1", "localizer")));
            d.record("1.2", 2, List.of(skip("1.2.9", "secondary-capture")));
            assertEquals(List.of(skip("1.2.9", "secondary-capture"), skip("1.2.1", "localizer")), d.forStudy("1.2", 1));
            d.record("1.2", 1, List.of(skip("1.2.1", "localizer")));
            assertEquals(List.of(skip("1.2.1", "localizer")), d.forStudy("1.2", 1));
            assertEquals(1, d.forStudy("1.2", 2).size());
            d.record("1.2", 2, List.of());
            assertEquals(List.of(), d.forStudy("1.2", 2));
        }
    }
}
