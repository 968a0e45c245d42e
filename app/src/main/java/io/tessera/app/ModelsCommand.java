package io.tessera.app;

import io.tessera.config.ConfigException;
import io.tessera.config.TesseraConfig;
import io.tessera.core.SegmentLabel;
import io.tessera.inference.InferenceSettings;
import io.tessera.inference.LoadedModel;
import io.tessera.inference.ModelPackage;
import io.tessera.inference.ModelPackageException;
import io.tessera.inference.ModelRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** {@code tessera models list [--config FILE]} and {@code tessera models check DIR}: for the AI engineer. */
final class ModelsCommand {
    private ModelsCommand() {}

    static int run(List<String> args) throws Exception {
        if (args.size() >= 2 && args.get(0).equals("check")) return check(Path.of(args.get(1)));
        if (!args.isEmpty() && args.get(0).equals("list")) {
            TesseraConfig config;
            try {
                config = Main.load(args.subList(1, args.size()));
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
        System.err.println("usage: tessera models list [--config FILE] | tessera models check DIR");
        return 2;
    }

    private static int check(Path dir) {
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

    static List<Path> dirs(TesseraConfig config) {
        return config.models().dirs().stream().map(Path::of).toList();
    }

    /** Names of the model packages found under the configured folders (manifests only; sessions are closed again). */
    static Set<String> modelNames(TesseraConfig config) {
        try (ModelRegistry registry = ModelRegistry.load(dirs(config), InferenceSettings.cpu())) {
            Set<String> names = new TreeSet<>();
            registry.list().forEach(m -> names.add(m.name()));
            return names;
        }
    }
}
