package io.tessera.inference;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The parts of a manifest that only a {@code task: promptable-segmentation} package has: the 2D {@code input}
 * (declared pre-processing), the ONNX file of each role under {@code graphs} with its slots mapped to tensor names,
 * and {@code output.threshold} (mask logits above it are inside). Every problem is listed with its path, as
 * {@link ManifestValidator} does for the other tasks; the graphs themselves are compared in {@link PromptableGraphChecks}.
 */
final class PromptableManifestValidator {
    private static final Set<String> INPUT_KEYS = Set.of("dimensions", "modality", "window", "range", "channels",
            "resizeLongestSide", "pad", "mean", "std");
    private final List<String> problems;
    private final String task;
    private final Set<String> inputKeys;

    private PromptableManifestValidator(List<String> problems) {
        this(problems, ModelManifest.PROMPTABLE, INPUT_KEYS);
    }

    private PromptableManifestValidator(List<String> problems, String task, Set<String> inputKeys) {
        this.problems = problems;
        this.task = task;
        this.inputKeys = inputKeys;
    }

    /**
     * The declared 2D {@code input} of another task that runs on one frame (a classifier), with its own further keys
     * (e.g. {@code name}, the graph input): the same checks and messages as a promptable model's.
     */
    static void validateFrameInput(JsonNode in, String task, Set<String> extraKeys, List<String> problems) {
        Set<String> keys = new java.util.HashSet<>(INPUT_KEYS);
        keys.addAll(extraKeys);
        new PromptableManifestValidator(problems, task, keys).input(in);
    }

    static void validate(JsonNode root, List<String> problems) {
        PromptableManifestValidator v = new PromptableManifestValidator(problems);
        v.input(root.get("input"));
        v.graphs(root.get("graphs"));
        v.output(root.get("output"));
        for (String k : List.of("postprocess", "text")) {
            if (root.has(k)) problems.add(k + ": not used by task " + ModelManifest.PROMPTABLE);
        }
    }

    private void input(JsonNode in) {
        if (!mapping(in, "input")) return;
        unknownKeys(in, inputKeys, "input");
        String dims = in.path("dimensions").asText(null);
        if (dims == null) problems.add("input.dimensions: missing (2d: the model runs on one frame or slice)");
        else if (!"2d".equals(dims)) {
            problems.add("input.dimensions: " + task + " runs on one frame at a time: 2d, was '" + dims + "'");
        }
        window(in.get("window"));
        JsonNode range = in.get("range");
        if (range == null) problems.add("input.range: missing (the values the window maps onto, e.g. [0, 255])");
        else if (!numbers(range, 2) || !(range.get(0).asDouble() < range.get(1).asDouble())) {
            problems.add("input.range: must be 2 numbers, low < high");
        }
        int channels = intIn(in, "channels", 1, 4, true);
        intIn(in, "resizeLongestSide", 16, 8192, true);
        JsonNode pad = in.get("pad");
        if (pad != null && !"square".equals(pad.asText())) {
            problems.add("input.pad: unknown padding '" + pad.asText() + "' (square: zeros at the bottom and right)");
        }
        for (String k : List.of("mean", "std")) {
            JsonNode n = in.get(k);
            if (n == null) continue;
            if (channels > 0 && !numbers(n, channels)) problems.add("input." + k + ": must be " + channels + " numbers (one per channel)");
            else if (k.equals("std")) for (JsonNode s : n) if (!(s.asDouble() > 0)) problems.add("input.std: must be > 0");
        }
    }

    private void window(JsonNode w) {
        if (w == null) {
            problems.add("input.window: missing ({min, max} in modality units, e.g. HU; or {type: voi})");
            return;
        }
        if (!mapping(w, "input.window")) return;
        unknownKeys(w, Set.of("type", "min", "max"), "input.window");
        String type = w.path("type").asText("fixed");
        boolean hasBoth = w.has("min") && w.has("max");
        if (w.has("min") != w.has("max")) problems.add("input.window: give both min and max, or neither");
        if (hasBoth && !(w.get("min").isNumber() && w.get("max").isNumber() && w.get("min").asDouble() < w.get("max").asDouble())) {
            problems.add("input.window: min and max must be numbers, min < max");
        }
        if (!Set.of("fixed", "voi").contains(type)) {
            problems.add("input.window.type: unknown window '" + type + "' (fixed | voi: the frame's VOI LUT window)");
        } else if (type.equals("fixed") && !hasBoth) {
            problems.add("input.window: a fixed window needs min and max");
        }
    }

    private void graphs(JsonNode g) {
        validateGraphs(g, PromptableContract.ROLES_AND_SLOTS, problems);
    }

    /** The {@code graphs} mapping of a multi-file package: every role of {@code contract} with its file and slots. */
    static void validateGraphs(JsonNode g, GraphRoles contract, List<String> problems) {
        new PromptableManifestValidator(problems).roles(g, contract);
    }

    private void roles(JsonNode g, GraphRoles contract) {
        if (g == null) {
            problems.add("graphs: missing (the ONNX file of each role: " + contract.roles() + ")");
            return;
        }
        if (!mapping(g, "graphs")) return;
        for (Iterator<String> it = g.fieldNames(); it.hasNext(); ) {
            String role = it.next();
            if (!contract.roles().contains(role)) {
                problems.add("graphs." + role + ": unknown role (" + contract.task() + " has " + contract.roles() + ")");
            }
        }
        for (String role : contract.roles()) {
            String p = "graphs." + role;
            JsonNode r = g.get(role);
            if (r == null) {
                problems.add(p + ": missing");
                continue;
            }
            if (!mapping(r, p)) continue;
            unknownKeys(r, Set.of("file", "inputs", "outputs"), p);
            String file = r.path("file").asText(null);
            if (file == null || file.isBlank()) problems.add(p + ".file: missing");
            else if (file.startsWith("/") || file.contains("\\") || List.of(file.split("/")).contains("..") || !file.endsWith(".onnx")) {
                problems.add(p + ".file: must be an .onnx path inside the package, was '" + file + "'");
            }
            slots(r.get("inputs"), p + ".inputs", contract.inputs().get(role), contract.optional(), role);
            slots(r.get("outputs"), p + ".outputs", contract.outputs().get(role), Set.of(), role);
        }
    }

    /** Every required slot of the role mapped to a tensor name, optional ones where the graph has them, nothing else. */
    private void slots(JsonNode m, String path, List<String> wanted, Set<String> optional, String role) {
        if (m == null) {
            problems.add(path + ": missing (" + role + " maps " + wanted + " to the graph's tensor names)");
            return;
        }
        if (!mapping(m, path)) return;
        for (Iterator<String> it = m.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!wanted.contains(k)) problems.add(path + "." + k + ": unknown slot (" + role + " has " + wanted + ")");
            else if (!m.get(k).isTextual() || m.get(k).asText().isBlank()) problems.add(path + "." + k + ": must be a tensor name");
        }
        for (String w : wanted) if (!m.has(w) && !optional.contains(w)) problems.add(path + "." + w + ": missing");
    }

    private void output(JsonNode out) {
        if (out == null || out.isNull()) return;
        if (!mapping(out, "output")) return;
        unknownKeys(out, Set.of("threshold"), "output");
        JsonNode th = out.get("threshold");
        if (th != null && !th.isNumber()) problems.add("output.threshold: must be a number (mask logits above it are inside)");
    }

    private int intIn(JsonNode parent, String key, int min, int max, boolean required) {
        JsonNode n = parent.get(key);
        if (n == null) {
            if (required) problems.add("input." + key + ": missing");
            return -1;
        }
        if (!n.isIntegralNumber() || n.asInt() < min || n.asInt() > max) {
            problems.add("input." + key + ": must be an int in " + min + ".." + max);
            return -1;
        }
        return n.asInt();
    }

    private boolean mapping(JsonNode n, String path) {
        if (n == null || n.isNull()) {
            problems.add(path + ": missing");
            return false;
        }
        if (!n.isObject()) {
            problems.add(path + ": must be a mapping");
            return false;
        }
        return true;
    }

    private void unknownKeys(JsonNode node, Set<String> allowed, String path) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) problems.add(path + "." + k + ": unknown key");
        }
    }

    private static boolean numbers(JsonNode n, int count) {
        if (!n.isArray() || n.size() != count) return false;
        for (JsonNode x : n) if (!x.isNumber()) return false;
        return true;
    }
}
