package io.tessera.app;

import io.tessera.inference.LoadedModel;
import io.tessera.inference.ModelRegistry;
import java.util.List;
import java.util.Map;

/** The JSON shape of {@code GET /api/models}: what is loaded, on which provider, and what failed to load. */
record ModelView(String name, String version, String task, String provider, String sha256, List<String> labels) {
    static Map<String, Object> of(ModelRegistry registry) {
        List<ModelView> models = registry.list().stream().map(ModelView::of).toList();
        Map<String, List<String>> problems = new java.util.TreeMap<>();
        registry.problems().forEach((dir, p) -> problems.put(dir.toString(), p));
        return Map.of("models", models, "notLoaded", problems);
    }

    private static ModelView of(LoadedModel m) {
        return new ModelView(m.name(), m.identity().version(), String.valueOf(m.manifest().task()), m.identity().provider(),
                m.identity().sha256(), m.modelPackage().labels().stream().map(l -> l.name()).toList());
    }
}
