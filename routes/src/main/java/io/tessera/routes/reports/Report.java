package io.tessera.routes.reports;

import java.time.Instant;

/**
 * A stored report: the text of a radiology report and what attaches it to a study. Either identifier may be null, not
 * both.
 *
 * @param text PHI-ish: never log it ({@link #toString()} leaves it out)
 */
public record Report(long id, String studyInstanceUid, String accessionNumber, ReportSource source, String sourceId,
                     Instant received, String text) {
    @Override
    public String toString() {
        return "Report[id=" + id + ", study=" + studyInstanceUid + ", source=" + source + ", received=" + received + ", "
                + (text == null ? 0 : text.length()) + " chars]";
    }
}
