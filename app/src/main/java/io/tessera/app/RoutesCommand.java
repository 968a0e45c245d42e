package io.tessera.app;

import io.tessera.config.ConfigException;
import io.tessera.config.RouteConfig;
import io.tessera.config.TesseraConfig;
import io.tessera.routes.Job;
import io.tessera.routes.RuleMatcher;
import io.tessera.routes.SeriesSummary;
import io.tessera.routes.SkippedSeries;
import io.tessera.routes.StudyPlan;
import io.tessera.routes.StudyPlanner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code tessera routes test --config FILE DICOM_DIR [--calling-ae AE] [--time HH:mm]}: the dry run. Reads a study from
 * disk and tells, per series, which rules would fire and why (every criterion that held or failed, and why a matching
 * rule's models would skip the series), then the jobs the planner would create and the series it would skip. Sends
 * nothing, needs no running server.
 */
final class RoutesCommand {
    private RoutesCommand() {}

    static int run(List<String> args) throws Exception {
        if (args.isEmpty() || !args.get(0).equals("test")) return usage();
        List<String> configArgs = new ArrayList<>();
        Path dir = null;
        String callingAe = "DRY-RUN";
        LocalTime now = LocalTime.now();
        for (int i = 1; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--calling-ae") && i + 1 < args.size()) callingAe = args.get(++i);
            else if (a.equals("--time") && i + 1 < args.size()) now = LocalTime.parse(args.get(++i));
            else if (a.equals("--config") && i + 1 < args.size()) {
                configArgs.add(a);
                configArgs.add(args.get(++i));
            } else if (a.startsWith("--")) configArgs.add(a);
            else dir = Path.of(a);
        }
        if (dir == null || !Files.isDirectory(dir)) return usage();
        TesseraConfig config;
        try {
            config = Main.load(configArgs, ModelsCommand::modelNames);
        } catch (ConfigException e) {
            System.err.println("configuration is invalid:");
            e.violations().forEach(v -> System.err.println("  " + v));
            return 1;
        }
        StudyPlanner planner = new StudyPlanner(config.routes(), config.destinations());
        List<SeriesSummary> series = StudyPlanner.summariseFolder(dir, callingAe);
        if (series.isEmpty()) {
            System.out.println("no DICOM series found under " + dir);
            return 1;
        }
        System.out.printf("%d series under %s (calling AE %s, time %s); rules in priority order%n", series.size(), dir, callingAe,
                now.withNano(0));
        for (SeriesSummary s : series) {
            System.out.printf("%nseries %s  %s  \"%s\"  %d instance(s)%n", s.seriesInstanceUid(), s.modality(),
                    s.seriesDescription() == null ? "" : s.seriesDescription(), s.instanceCount());
            for (RuleMatcher.Verdict v : planner.rules().explain(s, now)) {
                RouteConfig r = v.rule();
                SkippedSeries skip = v.matches() ? planner.eligibility(r, s) : null;
                System.out.printf("  %-8s %s%s%n", skip != null ? "SKIPS" : v.matches() ? "MATCHES" : "no", r.name(),
                        v.matches() ? "" : "  — failed: " + String.join("; ", v.failed()));
                if (v.matches()) v.held().forEach(h -> System.out.println("           held: " + h));
                if (skip != null) System.out.println("           skipped: " + skip.reason());
            }
        }
        StudyPlan plan = planner.plan(series, 1, now);
        System.out.printf("%n%d job(s) would run:%n", plan.jobs().size());
        for (Job j : plan.jobs()) {
            System.out.printf("  route %-16s %-26s series %s -> %s%n", j.route(),
                    j.isForward() ? "forward as received" : "model " + j.model(), j.series().seriesInstanceUid(),
                    j.destinations().stream().map(d -> d.name()).toList());
        }
        if (!plan.skipped().isEmpty()) {
            System.out.printf("%n%d series skipped:%n", plan.skipped().size());
            plan.skipped().forEach(k -> System.out.println("  " + k.reason()));
        }
        return 0;
    }

    private static int usage() {
        System.err.println("usage: tessera routes test --config FILE DICOM_DIR [--calling-ae AE] [--time HH:mm]");
        return 2;
    }
}
