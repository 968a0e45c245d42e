package io.tessera.inference;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The parts of a manifest that only a {@code task: embedding} package has: the image encoder's 2D {@code input}
 * (declared pre-processing, as a classifier's), {@code graphs} with an image and a text encoder, {@code text} (the
 * HuggingFace tokenizer file, token limit, pooling) and optional {@code zeroShot} labels with present/absent prompts.
 * Every problem is listed with its path; the graphs themselves are compared in {@link EmbeddingGraphChecks}.
 */
final class EmbeddingManifestValidator {
    private static final Pattern LABEL_NAME = Pattern.compile("[A-Za-z0-9_]+");
    private final List<String> problems;

    private EmbeddingManifestValidator(List<String> problems) {
        this.problems = problems;
    }

    static void validate(JsonNode root, List<String> problems) {
        JsonNode in = root.get("input");
        if (in == null || !in.isObject()) {
            problems.add("input: missing (the image encoder's 2D input: dimensions: 2d, window, range, channels, resizeLongestSide)");
        } else {
            PromptableManifestValidator.validateFrameInput(in, ModelManifest.EMBEDDING, Set.of(), problems);
        }
        PromptableManifestValidator.validateGraphs(root.get("graphs"), EmbeddingContract.ROLES_AND_SLOTS, problems);
        EmbeddingManifestValidator v = new EmbeddingManifestValidator(problems);
        v.text(root.get("text"));
        v.zeroShot(root.get("zeroShot"));
        for (String k : List.of("output", "postprocess")) {
            if (root.has(k)) problems.add(k + ": not used by task " + ModelManifest.EMBEDDING);
        }
    }

    private void text(JsonNode t) {
        if (t == null || !t.isObject()) {
            problems.add("text: missing (tokenizer: the package's tokenizer.json, maxTokens, pooling)");
            return;
        }
        unknown(t, Set.of("tokenizer", "maxTokens", "pooling"), "text");
        String tok = t.path("tokenizer").asText(null);
        if (tok == null || tok.isBlank()) problems.add("text.tokenizer: missing (a HuggingFace tokenizer.json inside the package)");
        else if (tok.startsWith("/") || List.of(tok.split("/")).contains("..") || !tok.endsWith(".json")) {
            problems.add("text.tokenizer: must be a .json path inside the package, was '" + tok + "'");
        }
        JsonNode max = t.get("maxTokens");
        if (max != null && (!max.isIntegralNumber() || max.asInt() < 2 || max.asInt() > 4096)) {
            problems.add("text.maxTokens: must be an int in 2..4096 (special tokens included)");
        }
        JsonNode pooling = t.get("pooling");
        if (pooling != null && !EmbeddingContract.POOLING.contains(pooling.asText())) {
            problems.add("text.pooling: unknown pooling '" + pooling.asText() + "' (none: the graph gives [N, D] | mean: over"
                    + " the attention mask | cls: the first token)");
        }
    }

    private void zeroShot(JsonNode z) {
        if (z == null) return;
        if (!z.isObject()) {
            problems.add("zeroShot: must be a mapping (scale, labels)");
            return;
        }
        unknown(z, Set.of("scale", "labels"), "zeroShot");
        JsonNode scale = z.get("scale");
        if (scale == null) problems.add("zeroShot.scale: missing (the factor on cosine similarities before the softmax, CLIP's logit scale)");
        else if (!scale.isNumber() || !(scale.asDouble() > 0 && scale.asDouble() <= 1000)) {
            problems.add("zeroShot.scale: must be a number in (0, 1000]");
        }
        JsonNode labels = z.get("labels");
        if (labels == null || !labels.isArray() || labels.isEmpty()) {
            problems.add("zeroShot.labels: must list at least one label (name, present, absent, threshold)");
            return;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < labels.size(); i++) label(labels.get(i), "zeroShot.labels[" + i + "]", names);
    }

    private void label(JsonNode l, String path, Set<String> names) {
        if (!l.isObject()) {
            problems.add(path + ": must be a mapping");
            return;
        }
        unknown(l, Set.of("name", "display", "present", "absent", "threshold", "codes"), path);
        String name = l.path("name").asText(null);
        if (name == null) problems.add(path + ".name: missing");
        else if (!LABEL_NAME.matcher(name).matches()) problems.add(path + ".name: must match [A-Za-z0-9_]+, was '" + name + "'");
        else if (!names.add(name)) problems.add(path + ".name: duplicate '" + name + "'");
        if (l.has("display") && !l.get("display").isTextual()) problems.add(path + ".display: must be text");
        for (String side : List.of("present", "absent")) {
            JsonNode p = l.get(side);
            if (p == null || !p.isArray() || p.isEmpty()) {
                problems.add(path + "." + side + ": must list at least one phrase (what a report would say when the finding is "
                        + side + ")");
                continue;
            }
            for (int i = 0; i < p.size(); i++) {
                if (!p.get(i).isTextual() || p.get(i).asText().isBlank()) problems.add(path + "." + side + "[" + i + "]: must be a phrase");
            }
        }
        JsonNode th = l.get("threshold");
        if (th == null) problems.add(path + ".threshold: missing (the probability at or above which the label is called present)");
        else if (!th.isNumber() || !(th.asDouble() > 0 && th.asDouble() < 1)) problems.add(path + ".threshold: must be a number in (0, 1)");
        ClassificationManifestValidator.codes(l.get("codes"), path, problems);
    }

    private void unknown(JsonNode n, Set<String> known, String path) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!known.contains(k)) problems.add(path + "." + k + ": unknown key");
        }
    }
}
