package io.tessera.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.inference.Prompt;
import java.util.Iterator;
import java.util.Set;

/**
 * The body of {@code POST /api/studies/{uid}/prompts}, checked before anything is looked up:
 * {@code {"model", "seriesUid", "sopInstanceUid", "frameNumber"?, "box": [x0, y0, x1, y1]}} or
 * {@code "points": [[x, y, label], ...]} (label 1 inside, 0 outside), in pixel coordinates of the referenced frame
 * (x along a row, y down a column, pixel (i, j) covering [i, i+1) × [j, j+1)). {@link #parse} throws
 * {@link IllegalArgumentException} with a TSR-0821 reason a workstation developer can act on.
 */
record PromptRequest(String model, String seriesUid, String sopInstanceUid, int frameNumber, Prompt prompt) {
    private static final Set<String> FIELDS = Set.of("model", "seriesUid", "sopInstanceUid", "frameNumber", "box", "points");
    private static final int MAX_POINTS = 64;

    static PromptRequest parse(JsonNode json) {
        if (json == null || !json.isObject()) throw bad("the body must be a JSON object");
        for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) throw bad("unknown field '" + f + "' (known: " + new java.util.TreeSet<>(FIELDS) + ")");
        }
        String model = text(json, "model"), series = text(json, "seriesUid"), sop = text(json, "sopInstanceUid");
        if (!series.matches("[0-9]+(\\.[0-9]+)*") || !sop.matches("[0-9]+(\\.[0-9]+)*")) {
            throw bad("seriesUid and sopInstanceUid must be DICOM UIDs");
        }
        int frame = 1;
        if (json.has("frameNumber")) {
            JsonNode f = json.get("frameNumber");
            if (!f.canConvertToInt() || !f.isIntegralNumber() || f.asInt() < 1) throw bad("frameNumber must be an integer from 1");
            frame = f.asInt();
        }
        boolean box = json.has("box"), points = json.has("points");
        if (box == points) throw bad("give either a box [x0, y0, x1, y1] or points [[x, y, label], ...]");
        try {
            return new PromptRequest(model, series, sop, frame, box ? box(json.get("box")) : points(json.get("points")));
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
    }

    private static Prompt box(JsonNode b) {
        if (!b.isArray() || b.size() != 4) throw bad("box must be [x0, y0, x1, y1]");
        double[] v = new double[4];
        for (int i = 0; i < 4; i++) v[i] = number(b.get(i), "box");
        return Prompt.box(v[0], v[1], v[2], v[3]);
    }

    private static Prompt points(JsonNode p) {
        if (!p.isArray() || p.isEmpty() || p.size() > MAX_POINTS) throw bad("points must be 1 to " + MAX_POINTS + " [x, y, label] triples");
        double[] xy = new double[2 * p.size()];
        boolean[] include = new boolean[p.size()];
        for (int i = 0; i < p.size(); i++) {
            JsonNode t = p.get(i);
            if (!t.isArray() || t.size() != 3) throw bad("points[" + i + "] must be [x, y, label]");
            xy[2 * i] = number(t.get(0), "points[" + i + "]");
            xy[2 * i + 1] = number(t.get(1), "points[" + i + "]");
            int label = t.get(2).asInt(-1);
            if (!t.get(2).isIntegralNumber() || (label != 0 && label != 1)) throw bad("points[" + i + "] label must be 1 (inside) or 0 (outside)");
            include[i] = label == 1;
        }
        return Prompt.points(xy, include);
    }

    private static double number(JsonNode n, String where) {
        if (n == null || !n.isNumber() || !Double.isFinite(n.asDouble())) throw bad(where + " must hold finite numbers");
        return n.asDouble();
    }

    private static String text(JsonNode json, String field) {
        JsonNode v = json.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) throw bad("'" + field + "' is required (a string)");
        return v.asText();
    }

    private static IllegalArgumentException bad(String why) {
        return new IllegalArgumentException(why.startsWith("TSR-") ? why : "TSR-0821: " + why);
    }
}
