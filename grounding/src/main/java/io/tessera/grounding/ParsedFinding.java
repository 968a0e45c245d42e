package io.tessera.grounding;

import io.tessera.core.ReportFinding;
import java.util.List;
import java.util.Objects;

/**
 * A report finding with what the grounder needs and why the parser read it so.
 *
 * @param organs   segmentation label names the finding lies in (one, or both sides when the text names none);
 *                 empty when the site is not segmented or not stated
 * @param zone     {@code upper|middle|lower|rightpart|leftpart|s1..s8} within the organ, or null
 * @param focal    the finding is a focal lesion (nodule, mass, cyst) to refine inside the organ
 * @param evidence one line per decision: which words triggered what
 * @param appearance what the text says the finding looks like (decides which tissue a candidate may be)
 */
public record ParsedFinding(ReportFinding finding, List<String> organs, String zone, boolean focal, List<String> evidence,
                            Appearance appearance) {
    public ParsedFinding {
        Objects.requireNonNull(finding, "finding");
        organs = List.copyOf(organs);
        evidence = List.copyOf(evidence);
        appearance = appearance == null ? Appearance.UNSTATED : appearance;
    }

    public ParsedFinding(ReportFinding finding, List<String> organs, String zone, boolean focal, List<String> evidence) {
        this(finding, organs, zone, focal, evidence, Appearance.UNSTATED);
    }
}
