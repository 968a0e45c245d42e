package io.tessera.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobProgressTest {
    @Test
    void each_stage_a_job_enters_is_what_the_study_does_now_until_it_finishes() throws Exception {
        JobProgress progress = new JobProgress(Clock.systemUTC());
        StageClock stages = new StageClock(Clock.systemUTC());
        List<String> seen = new ArrayList<>();
        stages.onStage(s -> progress.stage("1.2.3", "ct-phantom-organs", s));
        stages.time("load", () -> {
            seen.add(progress.of("1.2.3").orElseThrow().stage());
            return null;
        });
        stages.time("infer", () -> {
            progress.windows("1.2.3", 3, 9);
            JobProgress.Now n = progress.of("1.2.3").orElseThrow();
            seen.add(n.stage() + " " + n.done() + "/" + n.total() + " " + n.model());
            return null;
        });
        stages.onStage(null);
        stages.time("outbox", () -> null);
        assertEquals(List.of("load", "infer 3/9 ct-phantom-organs"), seen);
        assertEquals("infer", progress.of("1.2.3").orElseThrow().stage(), "a cleared listener no longer reports");
        progress.finished("1.2.3");
        assertTrue(progress.of("1.2.3").isEmpty());
        progress.windows("1.2.3", 1, 2);
        assertTrue(progress.of("1.2.3").isEmpty(), "windows of a finished study are ignored");
    }
}
