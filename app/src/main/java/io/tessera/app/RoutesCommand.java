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
import java.util.ArrayList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code tessera routes test --config FILE DICOM_DIR [--calling-ae AE] [--time HH:mm]}: the dry run. Reads a study from
 * disk and tells, per series, which rules would fire and why (every criterion that held or failed, and why a matching
 * rule's models would skip the series), then the jobs the planner would create and the series it would skip. Sends
 * nothing, needs no running server.
 */
@Command(name = "routes", description = "Routing rules.", subcommands = RoutesCommand.Test.class)
final class RoutesCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: test");
    }

    @Command(name = "test", description = "Dry run: which rules would fire for a study on disk, and why. Sends nothing.")
    static final class Test implements Callable<Integer> {
        @Parameters(paramLabel = "DICOM_DIR", description = "A folder holding the study's DICOM files.")
        Path dir;

        @Option(names = "--calling-ae", paramLabel = "AE", description = "The calling AE title to assume (default: ${DEFAULT-VALUE}).")
        String callingAe = "DRY-RUN";

        @Option(names = "--time", paramLabel = "HH:mm", description = "The time of day to assume (default: now).")
        LocalTime now = LocalTime.now();

        @Mixin Main.ConfigOptions options;
        @Unmatched List<String> overrides = new ArrayList<>(); // the --key=value overrides, see ConfigOptions

        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (!Files.isDirectory(dir)) throw new ParameterException(spec.commandLine(), dir + ": not a folder");
            TesseraConfig config;
            try {
                config = options.load(overrides, ModelsCommand::modelNames);
            } catch (ConfigException e) {
                Main.printViolations(e);
                return 1;
            }
            // which models take single frames (classifiers of radiographs), as the server's planner is told
            java.util.Map<String, io.tessera.inference.ModelManifest> manifests = ModelsCommand.modelManifests(config);
            return dryRun(config, dir, callingAe, now, name -> manifests.containsKey(name) && manifests.get(name).classifiesFrames(),
                    name -> manifests.containsKey(name) ? TesseraServer.channelRules(manifests.get(name)) : List.of());
        }
    }

    static int dryRun(TesseraConfig config, Path dir, String callingAe, LocalTime now, java.util.function.Predicate<String> singleFrameModel,
                      java.util.function.Function<String, List<StudyPlanner.ChannelRule>> channels) throws Exception {
        StudyPlanner planner = new StudyPlanner(config.routes(), config.destinations()).withSingleFrameModels(singleFrameModel)
                .withChannels(channels);
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

}
