package io.tessera.inference;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a parsed manifest tree and lists every problem with its path ({@code output.labels[2].value: duplicate 3}).
 * It works on the raw tree rather than on mapped records so that a wrong type in one field does not hide the
 * problems in all the others, and so that misspelt keys are reported instead of silently ignored.
 */
final class ManifestValidator {
    private static final Pattern NAME = Pattern.compile("[a-z0-9-]+");
    private static final Pattern LABEL_NAME = Pattern.compile("[A-Za-z0-9_]+");
    private static final Map<String, Set<String>> KEYS = Map.of(
            "", Set.of("name", "version", "task", "license", "intendedUse", "input", "output", "postprocess", "text", "graphs",
                    "zeroShot"),
            "text", Set.of("name", "tokenizer", "maxTokens"),
            "input", Set.of("name", "modality", "spacing", "intensity", "patch", "overlap", "blending", "batch", "orientation",
                    "channels"),
            "input.intensity", Set.of("type", "min", "max", "mean", "std"),
            "output", Set.of("name", "activation", "labels", "threshold"),
            "label", Set.of("value", "name", "category", "type", "color"),
            "concept", Set.of("scheme", "code", "meaning"),
            "postprocess", Set.of("largestComponent", "minSizeMl"));

    private final List<String> problems = new ArrayList<>();

    static List<String> validate(JsonNode root) {
        ManifestValidator v = new ManifestValidator();
        v.check(root);
        return List.copyOf(v.problems);
    }

    private void check(JsonNode root) {
        if (root == null || !root.isObject()) {
            problems.add("(root): must be a mapping");
            return;
        }
        keys(root, "", "");
        String name = text(root, "name", "name", true);
        if (name != null && !NAME.matcher(name).matches()) problems.add("name: must match [a-z0-9-]+, was '" + name + "'");
        text(root, "version", "version", true);
        String task = text(root, "task", "task", true);
        if (task != null && !Set.of("segmentation", "grounding", ModelManifest.PROMPTABLE, ModelManifest.CLASSIFICATION,
                ModelManifest.EMBEDDING).contains(task)) {
            problems.add("task: unknown task '" + task + "' (segmentation | grounding | " + ModelManifest.PROMPTABLE + " | "
                    + ModelManifest.CLASSIFICATION + " | " + ModelManifest.EMBEDDING + ")");
        }
        text(root, "license", "license", false);
        text(root, "intendedUse", "intendedUse", false);
        if (ModelManifest.EMBEDDING.equals(task)) {
            EmbeddingManifestValidator.validate(root, problems);
            return;
        }
        if (root.has("zeroShot")) problems.add("zeroShot: only for task " + ModelManifest.EMBEDDING);
        if (ModelManifest.PROMPTABLE.equals(task)) {
            PromptableManifestValidator.validate(root, problems);
            return;
        }
        if (ModelManifest.CLASSIFICATION.equals(task)) {
            ClassificationManifestValidator.validate(root, problems);
            return;
        }
        if (root.has("graphs")) problems.add("graphs: only for task " + ModelManifest.PROMPTABLE + " (this task has one " + ModelPackage.MODEL_FILE + ")");
        Set<String> labelNames = new HashSet<>();
        boolean grounding = "grounding".equals(task);
        checkInput(object(root, "input", "input", true));
        JsonNode text = object(root, "text", "text", grounding);
        if (grounding) checkText(text);
        else if (text != null) problems.add("text: only for task grounding");
        JsonNode out = object(root, "output", "output", true);
        if (grounding) checkGroundingOutput(out);
        else checkOutput(out, labelNames);
        checkPostprocess(object(root, "postprocess", "postprocess", false), labelNames);
    }

    private void checkInput(JsonNode in) {
        if (in == null) return;
        keys(in, "input", "input");
        text(in, "name", "input.name", true);
        text(in, "modality", "input.modality", false);
        JsonNode spacing = in.get("spacing");
        if (spacing == null) problems.add("input.spacing: missing");
        else if (!spacing.isArray() || spacing.size() != 3 || !allMatch(spacing, n -> n.isNumber() && n.asDouble() > 0)) {
            problems.add("input.spacing: must be 3 positive numbers (mm)");
        }
        JsonNode patch = in.get("patch");
        if (patch == null) problems.add("input.patch: missing");
        else if (!patch.isArray() || patch.size() != 3 || !allMatch(patch, n -> n.isIntegralNumber() && n.asLong() > 0 && n.asLong() <= 4096)) {
            problems.add("input.patch: must be 3 positive ints");
        }
        String orientation = in.path("orientation").asText("LPS");
        if (!Set.of("lps", "ras", "native").contains(orientation.trim().toLowerCase(java.util.Locale.ROOT))) {
            problems.add("input.orientation: unknown orientation '" + orientation + "' (LPS | RAS | native)");
        }
        JsonNode overlap = in.get("overlap");
        if (overlap != null && !(overlap.isNumber() && overlap.asDouble() >= 0 && overlap.asDouble() < 1)) {
            problems.add("input.overlap: must be a number in [0, 1)");
        }
        String blending = text(in, "blending", "input.blending", false);
        if (blending != null && !Set.of("gaussian", "constant").contains(blending)) {
            problems.add("input.blending: unknown blending '" + blending + "' (gaussian | constant)");
        }
        JsonNode batch = in.get("batch");
        if (batch != null && !(batch.isIntegralNumber() && batch.asInt() >= 1 && batch.asInt() <= 256)) {
            problems.add("input.batch: must be an int in 1..256");
        }
        checkIntensity(object(in, "intensity", "input.intensity", true));
        checkChannels(in.get("channels"));
    }

    /** {@code channels}: two or more {name, seriesDescription} with distinct names and valid regular expressions. */
    private void checkChannels(JsonNode channels) {
        if (channels == null) return;
        if (!channels.isArray() || channels.size() < 2) {
            problems.add("input.channels: must list two or more series (name, seriesDescription), the first the route's");
            return;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < channels.size(); i++) {
            JsonNode c = channels.get(i);
            String path = "input.channels[" + i + "]";
            if (!c.isObject()) {
                problems.add(path + ": must be a mapping {name, seriesDescription}");
                continue;
            }
            for (java.util.Iterator<String> it = c.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!Set.of("name", "seriesDescription").contains(k)) problems.add(path + "." + k + ": unknown key");
            }
            String name = c.path("name").asText(null);
            if (name == null || !LABEL_NAME.matcher(name).matches()) problems.add(path + ".name: must match [A-Za-z0-9_]+");
            else if (!names.add(name)) problems.add(path + ".name: duplicate '" + name + "'");
            String regex = c.path("seriesDescription").asText(null);
            if (regex == null || regex.isBlank()) {
                problems.add(path + ".seriesDescription: missing (a regular expression, e.g. '(?i)flair')");
            } else {
                try {
                    java.util.regex.Pattern.compile(regex);
                } catch (java.util.regex.PatternSyntaxException e) {
                    problems.add(path + ".seriesDescription: not a regular expression: " + e.getDescription());
                }
            }
        }
    }

    private void checkIntensity(JsonNode it) {
        if (it == null) return;
        keys(it, "input.intensity", "input.intensity");
        String type = text(it, "type", "input.intensity.type", true);
        for (String k : List.of("min", "max", "mean", "std")) {
            if (it.has(k) && !it.get(k).isNumber()) problems.add("input.intensity." + k + ": must be a number");
        }
        if (type == null) return;
        switch (type) {
            case "window" -> {
                if (!it.has("min") || !it.has("max")) problems.add("input.intensity: window needs min and max");
                else if (it.get("min").asDouble() >= it.get("max").asDouble()) problems.add("input.intensity: min must be < max");
            }
            case "zscore" -> {
                if (it.has("mean") != it.has("std")) problems.add("input.intensity: zscore needs both mean and std, or neither");
                if (it.has("std") && !(it.get("std").asDouble() > 0)) problems.add("input.intensity.std: must be > 0");
                if (it.has("min") && it.has("max") && it.get("min").asDouble() >= it.get("max").asDouble()) {
                    problems.add("input.intensity: min must be < max");
                }
            }
            case "none" -> { }
            default -> problems.add("input.intensity.type: unknown intensity type '" + type + "' (window | zscore | none)");
        }
    }

    private void checkOutput(JsonNode out, Set<String> labelNames) {
        if (out == null) return;
        keys(out, "output", "output");
        text(out, "name", "output.name", true);
        String act = text(out, "activation", "output.activation", true);
        if (act != null && !Set.of("softmax", "sigmoid", "none").contains(act)) {
            problems.add("output.activation: unknown activation '" + act + "' (softmax | sigmoid | none)");
        }
        JsonNode labels = out.get("labels");
        if (labels == null || !labels.isArray() || labels.isEmpty()) {
            problems.add("output.labels: must be a non-empty list");
            return;
        }
        Map<Integer, Integer> values = new HashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            String p = "output.labels[" + i + "]";
            JsonNode l = labels.get(i);
            if (!l.isObject()) {
                problems.add(p + ": must be a mapping");
                continue;
            }
            keys(l, "label", p);
            JsonNode value = l.get("value");
            if (value == null) problems.add(p + ".value: missing");
            else if (!value.isIntegralNumber() || value.asInt() < 1 || value.asInt() > 255) {
                problems.add(p + ".value: must be an int in 1..255");
            } else if (values.putIfAbsent(value.asInt(), i) != null) {
                problems.add(p + ".value: duplicate " + value.asInt());
            } else if (value.asInt() > labels.size()) {
                problems.add(p + ".value: " + value.asInt() + " exceeds the label count " + labels.size()
                        + " (values are channel indices 1..n)");
            }
            String name = text(l, "name", p + ".name", true);
            if (name != null && !LABEL_NAME.matcher(name).matches()) problems.add(p + ".name: must match [A-Za-z0-9_]+");
            else if (name != null && !labelNames.add(name)) problems.add(p + ".name: duplicate " + name);
            concept(object(l, "category", p + ".category", true), p + ".category");
            concept(object(l, "type", p + ".type", true), p + ".type");
            JsonNode color = l.get("color");
            if (color == null) problems.add(p + ".color: missing");
            else if (!color.isArray() || color.size() != 3 || !allMatch(color, n -> n.isIntegralNumber() && n.asInt() >= 0 && n.asInt() <= 255)) {
                problems.add(p + ".color: must be 3 ints in 0..255");
            }
        }
    }

    private void checkText(JsonNode t) {
        if (t == null) return;
        keys(t, "text", "text");
        text(t, "name", "text.name", true);
        String tok = text(t, "tokenizer", "text.tokenizer", true);
        if (tok != null && (tok.contains("/") || tok.contains("\\") || !tok.endsWith(".json"))) {
            problems.add("text.tokenizer: must be a .json file name inside the package, was '" + tok + "'");
        }
        JsonNode max = t.get("maxTokens");
        if (max == null) problems.add("text.maxTokens: missing");
        else if (!(max.isIntegralNumber() && max.asInt() >= 1 && max.asInt() <= 4096)) {
            problems.add("text.maxTokens: must be an int in 1..4096");
        }
    }

    /** A grounding model has one output channel (the phrase's region), so no labels; sigmoid or none. */
    private void checkGroundingOutput(JsonNode out) {
        if (out == null) return;
        keys(out, "output", "output");
        text(out, "name", "output.name", true);
        String act = text(out, "activation", "output.activation", true);
        if (act != null && !Set.of("sigmoid", "none").contains(act)) {
            problems.add("output.activation: grounding needs sigmoid or none (one channel), was '" + act + "'");
        }
        if (out.has("labels")) problems.add("output.labels: not used by task grounding (one channel: the phrase's region)");
        JsonNode th = out.get("threshold");
        if (th != null && !(th.isNumber() && th.asDouble() > 0 && th.asDouble() < 1)) {
            problems.add("output.threshold: must be a number in (0, 1)");
        }
    }

    private void concept(JsonNode c, String path) {
        if (c == null) return;
        keys(c, "concept", path);
        text(c, "code", path + ".code", true);
        text(c, "meaning", path + ".meaning", true);
        text(c, "scheme", path + ".scheme", false);
    }

    private void checkPostprocess(JsonNode pp, Set<String> labelNames) {
        if (pp == null) return;
        keys(pp, "postprocess", "postprocess");
        JsonNode lc = pp.get("largestComponent");
        if (lc != null && !lc.isNull()) {
            if (!lc.isArray()) problems.add("postprocess.largestComponent: must be a list of label names");
            else for (int i = 0; i < lc.size(); i++) {
                JsonNode n = lc.get(i);
                if (!n.isTextual()) problems.add("postprocess.largestComponent[" + i + "]: must be a label name");
                else if (!labelNames.contains(n.asText())) {
                    problems.add("postprocess.largestComponent[" + i + "]: unknown label '" + n.asText() + "'");
                }
            }
        }
        JsonNode min = pp.get("minSizeMl");
        if (min != null && !min.isNull() && !(min.isNumber() && min.asDouble() >= 0)) {
            problems.add("postprocess.minSizeMl: must be a number >= 0");
        }
    }

    private void keys(JsonNode node, String kind, String path) {
        Set<String> allowed = KEYS.get(kind);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) problems.add((path.isEmpty() ? "" : path + ".") + k + ": unknown key");
        }
    }

    private String text(JsonNode parent, String key, String path, boolean required) {
        JsonNode n = parent.get(key);
        if (n == null || n.isNull()) {
            if (required) problems.add(path + ": missing");
            return null;
        }
        if (!n.isValueNode() || n.asText().isBlank()) {
            problems.add(path + ": must be a non-empty string");
            return null;
        }
        return n.asText();
    }

    private JsonNode object(JsonNode parent, String key, String path, boolean required) {
        JsonNode n = parent.get(key);
        if (n == null || n.isNull()) {
            if (required) problems.add(path + ": missing");
            return null;
        }
        if (!n.isObject()) {
            problems.add(path + ": must be a mapping");
            return null;
        }
        return n;
    }

    private static boolean allMatch(JsonNode array, java.util.function.Predicate<JsonNode> p) {
        for (JsonNode n : array) if (!p.test(n)) return false;
        return true;
    }
}
