package io.tessera.app.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The models and listener pages: the same data as {@code /api/models} and {@code /api/listener}, as tables (a list of
 * objects is one table, an object is a two-column one), so the console never disagrees with the API.
 */
final class StatusPage {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private StatusPage() {}

    static Html render(ConsoleSessions.Session session, String title, String active, Object data) {
        Html h = Html.page(title, active, session, 10);
        table(h, JSON.valueToTree(data), title.toLowerCase(java.util.Locale.ROOT));
        return h;
    }

    private static void table(Html h, JsonNode node, String id) {
        if (node.isArray() && node.size() > 0 && node.get(0).isObject()) {
            List<String> keys = new ArrayList<>();
            node.get(0).fieldNames().forEachRemaining(keys::add);
            h.raw("<table id=\"").text(id).raw("\"><thead><tr>");
            keys.forEach(k -> h.raw("<th scope=\"col\">").text(k).raw("</th>"));
            h.raw("</tr></thead><tbody>");
            for (JsonNode row : node) {
                h.raw("<tr>");
                keys.forEach(k -> h.raw("<td>").text(cell(row.get(k))).raw("</td>"));
                h.raw("</tr>");
            }
            h.raw("</tbody></table>");
        } else if (node.isObject()) {
            h.raw("<table id=\"").text(id).raw("\"><tbody>");
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                h.raw("<tr><th scope=\"row\">").text(e.getKey()).raw("</th><td>");
                if (e.getValue().isContainerNode() && e.getValue().size() > 0) table(h, e.getValue(), id + "-" + e.getKey());
                else h.text(cell(e.getValue()));
                h.raw("</td></tr>");
            }
            h.raw("</tbody></table>");
        } else {
            h.raw("<p>").text(node.isEmpty() ? "none" : cell(node)).raw("</p>");
        }
    }

    private static String cell(JsonNode v) {
        if (v == null || v.isNull()) return "";
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            v.forEach(x -> parts.add(cell(x)));
            return String.join(", ", parts);
        }
        return v.isValueNode() ? v.asText() : v.toString();
    }
}
