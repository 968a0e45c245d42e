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
        try {
            if (ModelManifest.PROMPTABLE.equals(root.path("task").asText())) return promptable((ObjectNode) root);
            if (ModelManifest.CLASSIFICATION.equals(root.path("task").asText())) return classification((ObjectNode) root);
            if (ModelManifest.EMBEDDING.equals(root.path("task").asText())) return embedding((ObjectNode) root);
            fillDefaults((ObjectNode) root);
            return YAML.treeToValue(root, ModelManifest.class);
        } catch (JsonProcessingException e) {
            problems.add(FILE + ": " + e.getOriginalMessage()); // validator should have caught it; report, don't crash
            return null;
        }
    }

    /**
     * A promptable manifest's {@code input} is a 2D frame input ({@link ModelManifest.FrameInput}), not the volume
     * input of the other tasks: it is mapped on its own and {@code input} stays null, so nothing volume-shaped is faked.
     */
    private static ModelManifest promptable(ObjectNode root) throws JsonProcessingException {
        ObjectNode in = (ObjectNode) root.remove("input");
        frameDefaults(in);
        JsonNode o = root.get("output");
        ObjectNode out = o == null || o.isNull() ? root.putObject("output") : (ObjectNode) o;
        if (!out.has("threshold")) out.put("threshold", 0.0); // SAM's mask threshold on logits
        out.putArray("labels");
        root.putObject("postprocess").putArray("largestComponent");
        ((ObjectNode) root.get("postprocess")).put("minSizeMl", 0.0);
        ModelManifest m = YAML.treeToValue(root, ModelManifest.class);
        ModelManifest.FrameInput frame = YAML.treeToValue(in, ModelManifest.FrameInput.class);
        return new ModelManifest(m.name(), m.version(), m.task(), m.license(), m.intendedUse(), null, m.output(),
                m.postprocess(), null, m.graphs(), frame);
    }

    /**
     * A classifier's {@code input} is the same declared 2D frame input as a promptable model's, plus the graph input's
     * {@code name}; its {@code output} names the scores and lists the labels. {@code input}, {@code output} and
     * {@code postprocess} of the volume tasks stay null or empty: nothing volume-shaped is faked.
     */
    private static ModelManifest classification(ObjectNode root) throws JsonProcessingException {
        ObjectNode in = (ObjectNode) root.remove("input");
        String inputName = in.remove("name").asText();
        frameDefaults(in);
        ObjectNode out = (ObjectNode) root.remove("output");
        List<ModelManifest.ClassLabel> labels = new java.util.ArrayList<>();
        for (JsonNode l : out.get("labels")) {
            List<ModelManifest.Concept> codes = new java.util.ArrayList<>();
            codes.addAll(concepts(l.path("codes")));
            String name = l.get("name").asText();
            labels.add(new ModelManifest.ClassLabel(l.get("index").asInt(), name, l.path("display").asText(name),
                    l.get("threshold").asDouble(), codes));
        }
        labels.sort(java.util.Comparator.comparingInt(ModelManifest.ClassLabel::index));
        ModelManifest m = YAML.treeToValue(root, ModelManifest.class);
        ModelManifest.FrameInput frame = YAML.treeToValue(in, ModelManifest.FrameInput.class);
        ModelManifest.Output none = new ModelManifest.Output(out.get("name").asText(), out.get("activation").asText(), List.of(), null);
        return new ModelManifest(m.name(), m.version(), m.task(), m.license(), m.intendedUse(), null, none,
                ModelManifest.Postprocess.none(), null, null, frame, new ModelManifest.Classifier(inputName,
                out.get("name").asText(), out.get("activation").asText(), List.copyOf(labels)));
    }

    /**
     * An embedding package: the image encoder's 2D input (as a classifier's, without a name: the graphs map it), its
     * graphs, and the text side with zero-shot labels (none when {@code zeroShot} is absent: a pure embedder).
     */
    private static ModelManifest embedding(ObjectNode root) throws JsonProcessingException {
        ObjectNode in = (ObjectNode) root.remove("input");
        frameDefaults(in);
        ObjectNode text = (ObjectNode) root.remove("text");
        JsonNode z = root.remove("zeroShot");
        List<ModelManifest.ZeroShotLabel> labels = new java.util.ArrayList<>();
        double scale = 1.0;
        if (z != null) {
            scale = z.get("scale").asDouble();
            for (JsonNode l : z.get("labels")) {
                String name = l.get("name").asText();
                labels.add(new ModelManifest.ZeroShotLabel(name, l.path("display").asText(name), strings(l.get("present")),
                        strings(l.get("absent")), l.get("threshold").asDouble(), concepts(l.path("codes"))));
            }
        }
        ModelManifest.Embedding e = new ModelManifest.Embedding(text.get("tokenizer").asText(), text.path("maxTokens").asInt(64),
                text.path("pooling").asText("mean"), scale, List.copyOf(labels));
        ModelManifest m = YAML.treeToValue(root, ModelManifest.class);
        ModelManifest.FrameInput frame = YAML.treeToValue(in, ModelManifest.FrameInput.class);
        return new ModelManifest(m.name(), m.version(), m.task(), m.license(), m.intendedUse(), null,
                new ModelManifest.Output(null, null, List.of(), null), ModelManifest.Postprocess.none(), null, m.graphs(), frame,
                null, e);
    }

    /** The defaults of a declared 2D input: square padding, a fixed window, mean 0 and std 1 per channel. */
    private static void frameDefaults(ObjectNode in) {
        if (!in.has("pad")) in.put("pad", "square");
        ObjectNode w = (ObjectNode) in.get("window");
        if (!w.has("type")) w.put("type", "fixed");
        int channels = in.get("channels").asInt();
        for (String k : List.of("mean", "std")) {
            if (!in.has(k)) {
                com.fasterxml.jackson.databind.node.ArrayNode a = in.putArray(k);
                for (int c = 0; c < channels; c++) a.add(k.equals("mean") ? 0.0 : 1.0);
            }
        }
    }

    private static List<String> strings(JsonNode a) {
        List<String> out = new java.util.ArrayList<>();
        for (JsonNode n : a) out.add(n.asText());
        return List.copyOf(out);
    }

    private static List<ModelManifest.Concept> concepts(JsonNode codes) {
        List<ModelManifest.Concept> out = new java.util.ArrayList<>();
        for (JsonNode c : codes) {
            out.add(new ModelManifest.Concept(c.get("scheme").asText(), c.get("code").asText(), c.get("meaning").asText()));
        }
        return List.copyOf(out);
    }

    /** True when the file, even if invalid, declares ONNX files by role ({@code graphs}) rather than one model.onnx. */
    static boolean declaresRoles(Path file) {
        try {
            JsonNode root = YAML.readTree(Files.readString(file));
            return root != null && (root.has("graphs") || ModelManifest.PROMPTABLE.equals(root.path("task").asText())
                    || ModelManifest.EMBEDDING.equals(root.path("task").asText()));
        } catch (IOException e) {
            return false;
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
