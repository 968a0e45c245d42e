package io.tessera.fhir;

import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Narrative;

/** Short generated narratives, so that a client without Tessera's codes can still show something readable (dom-6). */
final class Narratives {
    private Narratives() {}

    static void set(DomainResource r, String... lines) {
        StringBuilder div = new StringBuilder("<div xmlns=\"http://www.w3.org/1999/xhtml\">");
        for (String line : lines) div.append("<p>").append(escape(line)).append("</p>");
        r.getText().setStatus(Narrative.NarrativeStatus.GENERATED).setDivAsString(div.append("</div>").toString());
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
