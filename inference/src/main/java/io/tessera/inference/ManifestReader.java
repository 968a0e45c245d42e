package io.tessera.inference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads {@code tessera-model.yaml}: parse, validate every field ({@link ManifestValidator}), fill defaults, map. */
final class ManifestReader {
    static final String FILE = "tessera-model.yaml";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** The manifest, or the problems that prevent reading it (added to {@code problems}); null when there are any. */
    static ModelManifest read(Path file, List<String> problems) {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readString(file));
        } catch (JsonProcessingException e) {
            problems.add(FILE + ": not valid YAML: " + e.getOriginalMessage());
            return null;
        } catch (IOException e) {
            problems.add(FILE + ": cannot be read: " + e);
            return null;
        }
        List<String> found = ManifestValidator.validate(root);
        if (!found.isEmpty()) {
            problems.addAll(found);
            return null;
        }
        fillDefaults((ObjectNode) root);
        try {
            return YAML.treeToValue(root, ModelManifest.class);
        } catch (JsonProcessingException e) {
            problems.add(FILE + ": " + e.getOriginalMessage()); // validator should have caught it; report, don't crash
            return null;
        }
    }

    private static void fillDefaults(ObjectNode root) {
        ObjectNode in = (ObjectNode) root.get("input");
        if (!in.has("overlap")) in.put("overlap", 0.5);
        if (!in.has("blending")) in.put("blending", "gaussian");
        if (!in.has("batch")) in.put("batch", 1);
        ObjectNode output = (ObjectNode) root.get("output");
        if (!output.has("labels")) output.putArray("labels"); // grounding: one channel, no labels
        if (!output.has("threshold") || output.get("threshold").isNull()) output.put("threshold", 0.5);
        for (JsonNode l : output.get("labels")) {
            for (String k : List.of("category", "type")) {
                ObjectNode c = (ObjectNode) l.get(k);
                if (!c.has("scheme")) c.put("scheme", "SCT");
            }
        }
        JsonNode pp = root.get("postprocess");
        ObjectNode post = pp == null || pp.isNull() ? root.putObject("postprocess") : (ObjectNode) pp;
        if (!post.has("largestComponent") || post.get("largestComponent").isNull()) post.putArray("largestComponent");
        if (!post.has("minSizeMl") || post.get("minSizeMl").isNull()) post.put("minSizeMl", 0.0);
    }

    private ManifestReader() {}
}
