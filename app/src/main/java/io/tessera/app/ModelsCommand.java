package io.tessera.app;

import io.tessera.config.ConfigException;
import io.tessera.config.TesseraConfig;
import io.tessera.core.SegmentLabel;
import io.tessera.inference.InferenceSettings;
import io.tessera.inference.LoadedModel;
import io.tessera.inference.ModelPackage;
import io.tessera.inference.ModelPackageException;
import io.tessera.inference.ModelRegistry;
import java.util.ArrayList;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/** {@code tessera models list [--config FILE]} and {@code tessera models check DIR}: for the AI engineer. */
@Command(name = "models", description = "Model packages.", subcommands = {ModelsCommand.ListModels.class, ModelsCommand.Check.class})
final class ModelsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: list or check");
    }

    @Command(name = "list", description = "Load the configured model folders and list the packages, and those that do not load.")
    static final class ListModels implements Callable<Integer> {
        @Mixin Main.ConfigOptions options;
        @Unmatched List<String> overrides = new ArrayList<>(); // the --key=value overrides, see ConfigOptions

        @Override
        public Integer call() {
            TesseraConfig config;
            try {
                config = options.load(overrides);
            } catch (ConfigException e) {
                e.violations().forEach(v -> System.err.println("  " + v));
                return 1;
            }
            try (ModelRegistry registry = ModelRegistry.load(dirs(config), InferenceSettings.cpu())) {
                System.out.printf("%-24s %-10s %-13s %-8s %s%n", "name", "version", "task", "labels", "folder");
                for (LoadedModel m : registry.list()) {
                    System.out.printf("%-24s %-10s %-13s %-8d %s%n", m.name(), m.identity().version(), m.manifest().task(),
                            m.modelPackage().labels().size(), m.modelPackage().dir());
                }
                registry.problems().forEach((dir, problems) -> {
                    System.out.println("NOT LOADED " + dir + ":");
                    problems.forEach(p -> System.out.println("  " + p));
                });
                return registry.problems().isEmpty() ? 0 : 1;
            }
        }
    }

    @Command(name = "check", description = "Validate one model package folder and print its labels.")
    static final class Check implements Callable<Integer> {
        @Parameters(paramLabel = "DIR", description = "The package folder (model.onnx and tessera-model.yaml).")
        Path dir;

        @Override
        public Integer call() {
            try {
                ModelPackage p = ModelPackage.load(dir);
                System.out.println("model package is valid: " + p.name() + " " + p.identity().version() + " (sha256 "
                        + p.identity().sha256().substring(0, 12) + "…)");
                for (SegmentLabel l : p.labels()) {
                    System.out.printf("  %3d %-16s %s %s (%s)%n", l.value(), l.name(), l.type().scheme(), l.type().value(), l.type().meaning());
                }
                return 0;
            } catch (ModelPackageException e) {
                System.err.println("model package is invalid: " + dir);
                e.problems().forEach(p -> System.err.println("  " + p));
                return 1;
            }
        }
    }

    static List<Path> dirs(TesseraConfig config) {
        return config.models().dirs().stream().map(Path::of).toList();
    }

    /** Names of the model packages found under the configured folders (manifests only; sessions are closed again). */
    static Set<String> modelNames(TesseraConfig config) {
        return new TreeSet<>(modelTasks(config).keySet());
    }

    /** Name → task of the model packages found under the configured folders (sessions are closed again). */
    static java.util.Map<String, String> modelTasks(TesseraConfig config) {
        try (ModelRegistry registry = ModelRegistry.load(dirs(config), InferenceSettings.cpu())) {
            java.util.Map<String, String> tasks = new java.util.TreeMap<>();
            registry.list().forEach(m -> tasks.put(m.name(), m.manifest().task()));
            return tasks;
        }
    }
}
