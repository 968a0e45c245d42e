package io.tessera.routes;

import static org.junit.jupiter.api.Assertions.*;

import io.tessera.config.DestinationConfig;
import io.tessera.config.MatchConfig;
import io.tessera.config.RouteConfig;
import io.tessera.testkit.TwoSequenceMrStudy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Planning for a model of two series (T1, FLAIR): the route's T1 gets one job carrying the FLAIR of the same study;
 * without a FLAIR, or with one in another frame of reference, or when the route picks a series that is not the first
 * channel's kind, the series is skipped with a reason that says what is missing.
 */
class ChannelPlanTest {
    static final List<DestinationConfig> PACS = List.of(new DestinationConfig("pacs", "folder", null, null, 0, "unused", null, null));
    static final List<StudyPlanner.ChannelRule> T1_FLAIR = List.of(new StudyPlanner.ChannelRule("t1", "(?i)\\bt1\\b"),
            new StudyPlanner.ChannelRule("flair", "(?i)flair"));
    @TempDir Path dir;

    private static StudyPlan plan(List<SeriesSummary> series, String seriesDescription) {
        RouteConfig rule = new RouteConfig("mr", new MatchConfig("MR", null, seriesDescription, null, null), List.of("two"), List.of("pacs"));
        return new StudyPlanner(List.of(rule), PACS).withChannels(m -> m.equals("two") ? T1_FLAIR : List.of())
                .plan(series, 1, LocalTime.NOON);
    }

    @Test
    void the_t1_job_carries_the_flair_of_the_same_study() throws Exception {
        TwoSequenceMrStudy s = TwoSequenceMrStudy.write(3, dir, true);
        StudyPlan p = plan(StudyPlanner.summariseFolder(dir, "MR1"), "(?i)t1");
        assertEquals(1, p.jobs().size(), p.toString());
        Job job = p.jobs().get(0);
        assertEquals(s.t1SeriesUid(), job.series().seriesInstanceUid());
        assertEquals(List.of(s.flairSeriesUid()), job.channels().stream().map(SeriesSummary::seriesInstanceUid).toList());
        assertEquals(List.of(), p.skipped());
    }

    @Test
    void without_a_usable_flair_the_t1_is_skipped_saying_what_is_missing() throws Exception {
        TwoSequenceMrStudy.write(4, dir.resolve("a"), false);
        StudyPlan p = plan(StudyPlanner.summariseFolder(dir.resolve("a"), "MR1"), "(?i)t1");
        assertEquals(List.of(), p.jobs());
        assertEquals(1, p.skipped().size());
        assertEquals("channel", p.skipped().get(0).kind());
        assertTrue(p.skipped().get(0).reason().contains("also needs a 'flair' series"), p.skipped().get(0).reason());

        // a FLAIR of another acquisition (frame of reference) is not this T1's
        TwoSequenceMrStudy.write(5, dir.resolve("b"), true);
        List<SeriesSummary> series = new java.util.ArrayList<>(StudyPlanner.summariseFolder(dir.resolve("b"), "MR1"));
        SeriesSummary flair = series.stream().filter(x -> x.seriesDescription().contains("FLAIR")).findFirst().orElseThrow();
        java.util.Map<String, String> other = new java.util.HashMap<>(flair.attributes());
        other.put("FrameOfReferenceUID", "1.2.3.4.5");
        series.set(series.indexOf(flair), new SeriesSummary(flair.studyInstanceUid(), flair.seriesInstanceUid(), flair.modality(),
                flair.bodyPartExamined(), flair.seriesDescription(), flair.callingAeTitle(), flair.files(), other));
        assertTrue(Files.isDirectory(dir.resolve("b")));
        StudyPlan q = plan(series, "(?i)t1");
        assertEquals(List.of(), q.jobs());
        assertTrue(q.skipped().get(0).reason().contains("same frame of reference"), q.skipped().get(0).reason());
    }

    @Test
    void a_route_that_picks_the_flair_is_told_the_model_takes_the_t1_first() throws Exception {
        TwoSequenceMrStudy.write(6, dir, true);
        StudyPlan p = plan(StudyPlanner.summariseFolder(dir, "MR1"), "(?i)flair");
        assertEquals(List.of(), p.jobs());
        assertTrue(p.skipped().get(0).reason().contains("as its 't1' channel"), p.skipped().get(0).reason());
    }
}
