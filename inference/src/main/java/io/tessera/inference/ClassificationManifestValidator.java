package io.tessera.inference;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The parts of a manifest that only a {@code task: classification} package has: the 2D {@code input} (declared
 * pre-processing, as a promptable model's, plus {@code name}: the graph input) and an {@code output} with the graph
 * output's {@code name}, the {@code activation} that makes scores probabilities and one entry per label (output
 * column {@code index}, {@code name}, {@code display}, {@code threshold} in (0, 1), optional {@code codes}). Every
 * problem is listed with its path; the graph itself is compared in {@link ClassifierGraphChecks}.
 */
final class ClassificationManifestValidator {
    private static final Pattern LABEL_NAME = Pattern.compile("[A-Za-z0-9_]+");
    private static final Set<String> LABEL_KEYS = Set.of("index", "name", "display", "threshold", "codes");
    private final List<String> problems;

    private ClassificationManifestValidator(List<String> problems) {
        this.problems = problems;
    }

    static void validate(JsonNode root, List<String> problems) {
        JsonNode in = root.get("input");
        if (in == null || !in.isObject()) {
            problems.add("input: missing (the 2D input: name, dimensions: 2d, window, range, channels, resizeLongestSide)");
        } else {
            PromptableManifestValidator.validateFrameInput(in, ModelManifest.CLASSIFICATION, Set.of("name"), problems);
            if (!in.path("name").isTextual() || in.path("name").asText().isBlank()) {
                problems.add("input.name: missing (the graph input that takes the prepared image)");
            }
        }
        new ClassificationManifestValidator(problems).output(root.get("output"));
        for (String k : List.of("postprocess", "text", "graphs")) {
            if (root.has(k)) problems.add(k + ": not used by task " + ModelManifest.CLASSIFICATION);
        }
    }

    private void output(JsonNode out) {
        if (out == null || !out.isObject()) {
            problems.add("output: missing (name, activation, labels)");
            return;
        }
        for (Iterator<String> it = out.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!Set.of("name", "activation", "labels").contains(k)) problems.add("output." + k + ": unknown key");
        }
        if (!out.path("name").isTextual() || out.path("name").asText().isBlank()) {
            problems.add("output.name: missing (the graph output of scores [N, labels])");
        }
        String activation = out.path("activation").asText(null);
        if (activation == null) problems.add("output.activation: missing (sigmoid: each label on its own | softmax: one label of all)");
        else if (!Set.of("sigmoid", "softmax").contains(activation)) {
            problems.add("output.activation: unknown activation '" + activation + "' (sigmoid | softmax)");
        }
        JsonNode labels = out.get("labels");
        if (labels == null || !labels.isArray() || labels.isEmpty()) {
            problems.add("output.labels: must list at least one label (index, name, threshold)");
            return;
        }
        Set<Integer> indices = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < labels.size(); i++) label(labels.get(i), "output.labels[" + i + "]", indices, names);
        for (int i = 0; i < labels.size(); i++) {
            if (!indices.contains(i)) problems.add("output.labels: no label for output column " + i
                    + " (indices must be 0.." + (labels.size() - 1) + ", one per column)");
        }
    }

    private void label(JsonNode l, String path, Set<Integer> indices, Set<String> names) {
        if (!l.isObject()) {
            problems.add(path + ": must be a mapping");
            return;
        }
        for (Iterator<String> it = l.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!LABEL_KEYS.contains(k)) problems.add(path + "." + k + ": unknown key");
        }
        JsonNode index = l.get("index");
        if (index == null || !index.isIntegralNumber() || index.asInt() < 0) problems.add(path + ".index: must be an int >= 0 (the output column)");
        else if (!indices.add(index.asInt())) problems.add(path + ".index: duplicate " + index.asInt());
        String name = l.path("name").asText(null);
        if (name == null) problems.add(path + ".name: missing");
        else if (!LABEL_NAME.matcher(name).matches()) problems.add(path + ".name: must match [A-Za-z0-9_]+, was '" + name + "'");
        else if (!names.add(name)) problems.add(path + ".name: duplicate '" + name + "'");
        if (l.has("display") && !l.get("display").isTextual()) problems.add(path + ".display: must be text");
        JsonNode th = l.get("threshold");
        if (th == null) problems.add(path + ".threshold: missing (the probability at or above which the label is called present)");
        else if (!th.isNumber() || !(th.asDouble() > 0 && th.asDouble() < 1)) problems.add(path + ".threshold: must be a number in (0, 1)");
        codes(l.get("codes"), path, problems);
    }

    /** A label's optional {@code codes}: a list of {scheme, code, meaning}, each part given. */
    static void codes(JsonNode codes, String path, List<String> problems) {
        if (codes == null) return;
        if (!codes.isArray()) {
            problems.add(path + ".codes: must be a list of {scheme, code, meaning}");
            return;
        }
        for (int c = 0; c < codes.size(); c++) {
            JsonNode code = codes.get(c);
            String p = path + ".codes[" + c + "]";
            if (!code.isObject()) {
                problems.add(p + ": must be a mapping {scheme, code, meaning}");
                continue;
            }
            for (Iterator<String> it = code.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!Set.of("scheme", "code", "meaning").contains(k)) problems.add(p + "." + k + ": unknown key");
            }
            for (String k : List.of("scheme", "code", "meaning")) {
                if (!code.path(k).isTextual() || code.path(k).asText().isBlank()) problems.add(p + "." + k + ": missing");
            }
        }
    }
}
