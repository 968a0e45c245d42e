package io.tessera.inference;

import ai.onnxruntime.OrtEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every model package found in the configured directories, each with one session built at load time.
 * A package that fails validation is logged and listed in {@link #problems()}; the others still load.
 */
public final class ModelRegistry implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);

    private final Map<String, LoadedModel> models = new LinkedHashMap<>();
    private final Map<Path, List<String>> problems = new LinkedHashMap<>();

    private ModelRegistry() {}

    /** Loads every folder holding a manifest or a model.onnx directly under each of {@code dirs}, in name order. */
    public static ModelRegistry load(List<Path> dirs, InferenceSettings settings) {
        ModelRegistry r = new ModelRegistry();
        SessionFactory factory = new SessionFactory(OrtEnvironment.getEnvironment(), settings);
        DeviceGates gates = new DeviceGates(settings.jobsPerDevice());
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                log.warn("TSR-0303: model directory {} does not exist", dir);
                r.problems.put(dir, List.of("not a directory"));
                continue;
            }
            for (Path pkg : packageDirs(dir)) r.loadOne(pkg, factory, gates);
        }
        log.info("Model registry: {} model(s) loaded {}, {} package(s) refused", r.models.size(), r.models.keySet(), r.problems.size());
        return r;
    }

    /** A registry of the one package in {@code pkg} (for tools that work on one folder); its problems when it fails. */
    public static ModelRegistry loadPackage(Path pkg, InferenceSettings settings) {
        ModelRegistry r = new ModelRegistry();
        r.loadOne(pkg, new SessionFactory(OrtEnvironment.getEnvironment(), settings), new DeviceGates(settings.jobsPerDevice()));
        return r;
    }

    private void loadOne(Path pkg, SessionFactory factory, DeviceGates gates) {
        try {
            LoadedModel m = ModelPackage.open(pkg, factory, gates);
            if (models.containsKey(m.name())) {
                m.close();
                problems.put(pkg, List.of("name: '" + m.name() + "' already loaded from " + models.get(m.name()).modelPackage().dir()));
                log.error("TSR-0304: model package {} refused: duplicate name {}", pkg, m.name());
                return;
            }
            models.put(m.name(), m);
            log.info("Model {} loaded from {} (sha256 {}, provider {}, device {})", m.identity().displayName(), pkg,
                    m.identity().sha256().substring(0, 12), m.identity().provider(), m.device());
        } catch (ModelPackageException e) {
            problems.put(pkg, e.problems());
            log.error("{}", e.getMessage());
        }
    }

    private static List<Path> packageDirs(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory)
                    .filter(p -> Files.exists(p.resolve(ManifestReader.FILE)) || Files.exists(p.resolve(ModelPackage.MODEL_FILE)))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Optional<LoadedModel> get(String name) {
        return Optional.ofNullable(models.get(name));
    }

    public List<LoadedModel> list() {
        return List.copyOf(models.values());
    }

    /** Package folder → every problem that kept it from loading. */
    public Map<Path, List<String>> problems() {
        return Collections.unmodifiableMap(problems);
    }

    /** Terminates every running job of every model (they fail with {@link InferenceException#STOPPED}); no new one starts. */
    public void stopJobs() {
        models.values().forEach(LoadedModel::stopJobs);
    }

    /** Waits until no job runs on any model; false if one still does after {@code timeout}. */
    public boolean awaitIdle(java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (LoadedModel m : models.values()) {
            if (!m.awaitIdle(java.time.Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) return false;
        }
        return true;
    }

    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        for (LoadedModel m : models.values()) {
            try {
                m.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        models.clear();
        if (!failures.isEmpty()) throw failures.get(0);
    }
}
