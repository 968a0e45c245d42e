package io.tessera.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Applies {@code --dicom.port=11112} and {@code TESSERA_DICOM_PORT=11112} style overrides to a configuration tree.
 * Environment names are matched to keys case-insensitively, ignoring underscores inside camelCase keys
 * ({@code TESSERA_DICOM_AE_TITLE} and {@code TESSERA_DICOM_AETITLE} both reach {@code dicom.aeTitle}).
 */
final class Overrides {
    static final String ENV_PREFIX = "TESSERA_";

    private Overrides() {}

    static void applyEnvironment(ObjectNode root, Map<String, String> env, List<String> problems) {
        env.entrySet().stream()
                .filter(e -> e.getKey().startsWith(ENV_PREFIX) && e.getKey().length() > ENV_PREFIX.length())
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> {
                    String[] segs = e.getKey().substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).split("_");
                    List<String> path = resolveEnvPath(root, segs, 0);
                    if (path == null) return; // not ours (e.g. TESSERA_HOME used by the launcher)
                    set(root, path, e.getValue(), "environment " + e.getKey(), problems);
                });
    }

    static void applyArguments(ObjectNode root, List<String> args, List<String> problems) {
        for (String a : args) {
            if (!a.startsWith("--") || !a.contains("=")) continue;
            String key = a.substring(2, a.indexOf('='));
            String value = a.substring(a.indexOf('=') + 1);
            List<String> path = new ArrayList<>();
            for (String part : key.split("\\.")) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("([^\\[]+)((?:\\[\\d+])*)").matcher(part);
                if (!m.matches()) {
                    problems.add(key + ": not a configuration key");
                    return;
                }
                path.add(m.group(1));
                java.util.regex.Matcher idx = java.util.regex.Pattern.compile("\\[(\\d+)]").matcher(m.group(2));
                while (idx.find()) path.add(idx.group(1));
            }
            set(root, path, value, "argument --" + key, problems);
        }
    }

    /** Greedily joins env segments until they name an existing key of the current node. */
    private static List<String> resolveEnvPath(JsonNode node, String[] segs, int from) {
        if (from == segs.length) return new ArrayList<>();
        if (node instanceof ArrayNode arr) {
            if (!segs[from].matches("\\d+")) return null;
            int i = Integer.parseInt(segs[from]);
            JsonNode child = i < arr.size() ? arr.get(i) : null;
            List<String> rest = child == null ? (from + 1 == segs.length ? new ArrayList<>() : null) : resolveEnvPath(child, segs, from + 1);
            if (rest == null) return null;
            rest.add(0, segs[from]);
            return rest;
        }
        if (!(node instanceof ObjectNode obj)) return null;
        StringBuilder joined = new StringBuilder();
        for (int to = from; to < segs.length; to++) {
            joined.append(segs[to]);
            for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
                String field = it.next();
                if (field.toLowerCase(Locale.ROOT).equals(joined.toString())) {
                    List<String> rest = resolveEnvPath(obj.get(field), segs, to + 1);
                    if (rest != null) {
                        rest.add(0, field);
                        return rest;
                    }
                }
            }
        }
        return null;
    }

    private static void set(ObjectNode root, List<String> path, String value, String source, List<String> problems) {
        JsonNode node = root;
        for (int i = 0; i < path.size() - 1; i++) {
            String p = path.get(i);
            JsonNode next = node instanceof ArrayNode arr && p.matches("\\d+") ? arr.get(Integer.parseInt(p)) : node.get(p);
            if (next == null) {
                next = path.get(i + 1).matches("\\d+") ? JsonNodeFactory.instance.arrayNode() : JsonNodeFactory.instance.objectNode();
                if (node instanceof ObjectNode o) o.set(p, next);
                else if (node instanceof ArrayNode arr && p.matches("\\d+") && Integer.parseInt(p) == arr.size()) arr.add(next);
                else {
                    problems.add(String.join(".", path) + ": cannot set from " + source);
                    return;
                }
            }
            node = next;
        }
        String last = path.get(path.size() - 1);
        JsonNode existing = node instanceof ArrayNode arr && last.matches("\\d+") ? arr.get(Integer.parseInt(last)) : node.get(last);
        JsonNode v = existing instanceof ArrayNode ? splitList(value) : JsonNodeFactory.instance.textNode(value);
        if (node instanceof ObjectNode o) o.set(last, v);
        else if (node instanceof ArrayNode arr && last.matches("\\d+")) {
            int i = Integer.parseInt(last);
            if (i < arr.size()) arr.set(i, v);
            else if (i == arr.size()) arr.add(v);
            else problems.add(String.join(".", path) + ": index out of range in " + source);
        }
    }

    private static ArrayNode splitList(String value) {
        ArrayNode arr = JsonNodeFactory.instance.arrayNode();
        for (String s : value.split(",")) if (!s.isBlank()) arr.add(s.trim());
        return arr;
    }
}
