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

/**
 * {@code tessera models list [--config FILE]}, {@code tessera models check DIR} and {@code tessera models embed DIR}:
 * for the AI engineer.
 */
@Command(name = "models", description = "Model packages.",
        subcommands = {ModelsCommand.ListModels.class, ModelsCommand.Check.class, ModelsCommand.Embed.class})
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

    @Command(name = "embed", description = "Print the vectors an image-text (task: embedding) package makes of phrases and"
            + " single-frame DICOM images, as JSON, and their cosine similarities.")
    static final class Embed implements Callable<Integer> {
        @Parameters(paramLabel = "DIR", description = "The package folder.")
        Path dir;
        @picocli.CommandLine.Option(names = "--text", paramLabel = "PHRASE", description = "A phrase to embed (repeatable).")
        List<String> texts = new ArrayList<>();
        @picocli.CommandLine.Option(names = "--image", paramLabel = "FILE", description = "A single-frame DICOM image (CR, DX, SC) to embed (repeatable).")
        List<Path> images = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            if (texts.isEmpty() && images.isEmpty()) {
                System.err.println("nothing to embed: give --text PHRASE and/or --image FILE");
                return 2;
            }
            try (ModelRegistry registry = ModelRegistry.loadPackage(dir, InferenceSettings.cpu())) {
                if (registry.list().isEmpty()) {
                    System.err.println("model package is invalid: " + dir);
                    registry.problems().values().forEach(ps -> ps.forEach(x -> System.err.println("  " + x)));
                    return 1;
                }
                LoadedModel m = registry.list().get(0);
                ModelPackage p = m.modelPackage();
                if (!m.manifest().embeddingTask()) {
                    System.err.println(p.name() + " is task " + m.manifest().task() + ": only embedding packages make vectors");
                    return 1;
                }
                java.util.Map<String, float[]> vectors = new java.util.LinkedHashMap<>();
                try (io.tessera.inference.Embedder e = io.tessera.inference.Embedder.open(m)) {
                    for (String t : texts) vectors.put("text: " + t, e.text(t));
                    for (Path f : images) {
                        io.tessera.dicomio.ProjectionImage img = new io.tessera.dicomio.ProjectionImageReader().read(f);
                        vectors.put("image: " + f.getFileName(), e.image(new io.tessera.inference.FrameImage(img.sopInstanceUid(),
                                img.width(), img.height(), img.values(), img.hasVoi() ? img.voiCenter() : Double.NaN,
                                img.hasVoi() ? img.voiWidth() : Double.NaN)));
                    }
                }
                com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
                com.fasterxml.jackson.databind.node.ObjectNode out = json.createObjectNode();
                out.put("model", p.name() + " " + p.identity().version());
                com.fasterxml.jackson.databind.node.ObjectNode vs = out.putObject("vectors");
                vectors.forEach((k, v) -> {
                    com.fasterxml.jackson.databind.node.ArrayNode a = vs.putArray(k);
                    for (float x : v) a.add(x);
                });
                com.fasterxml.jackson.databind.node.ObjectNode sims = out.putObject("cosine");
                List<String> keys = new ArrayList<>(vectors.keySet());
                for (int i = 0; i < keys.size(); i++) {
                    for (int k = i + 1; k < keys.size(); k++) {
                        sims.put(keys.get(i) + " | " + keys.get(k), Math.round(io.tessera.inference.Embedder.cosine(
                                vectors.get(keys.get(i)), vectors.get(keys.get(k))) * 10000) / 10000.0);
                    }
                }
                System.out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(out));
                return 0;
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

    /** Name → task as routes see it, of the model packages found under the configured folders (sessions are closed again). */
    static java.util.Map<String, String> modelTasks(TesseraConfig config) {
        java.util.Map<String, String> tasks = new java.util.TreeMap<>();
        modelManifests(config).forEach((name, m) -> tasks.put(name, m.routeTask()));
        return tasks;
    }

    /** Name → manifest of the model packages found under the configured folders (sessions are closed again). */
    static java.util.Map<String, io.tessera.inference.ModelManifest> modelManifests(TesseraConfig config) {
        try (ModelRegistry registry = ModelRegistry.load(dirs(config), InferenceSettings.cpu())) {
            java.util.Map<String, io.tessera.inference.ModelManifest> out = new java.util.TreeMap<>();
            registry.list().forEach(m -> out.put(m.name(), m.manifest()));
            return out;
        }
    }
}
