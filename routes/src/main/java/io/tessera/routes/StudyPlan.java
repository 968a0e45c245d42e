package io.tessera.routes;

import java.util.List;

/** What the planner decided for one study version: the jobs to run, and the matched series it skipped, with why. */
public record StudyPlan(List<Job> jobs, List<SkippedSeries> skipped) {
    public StudyPlan {
        jobs = List.copyOf(jobs);
        skipped = List.copyOf(skipped);
    }
}
