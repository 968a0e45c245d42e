package io.tessera.dicomio;

import io.tessera.core.GroundedFinding;
import io.tessera.core.ModelIdentity;
import io.tessera.core.SourceSeries;
import io.tessera.core.Uids;
import java.util.List;

/**
 * Identity of the grounding SEG series (one segment per located report finding) and the rule that numbers its
 * segments. It is a series of its own beside the organ SEG, so a workstation can show the findings apart.
 */
public final class GroundingSeg {
    public static final int SERIES_NUMBER = 902;
    public static final String SERIES_DESCRIPTION = "AI grounded report findings - not for clinical use";

    private GroundingSeg() {}

    /**
     * Deterministic UIDs from (study, source series, study version, grounder name and version, "grounding-seg-series"):
     * a re-run after a crash writes the same objects. The Device UID is the grounder's ({@code Uids.deviceUid}).
     */
    public static SegSpec spec(SourceSeries source, ModelIdentity grounder, String studyVersion) {
        String series = Uids.derive(source.study().studyInstanceUid(), source.seriesInstanceUid(), studyVersion,
                grounder.name(), grounder.version(), "grounding-seg-series");
        String sop = Uids.derive(series, "seg");
        String serial = grounder.sha256() == null || grounder.sha256().isBlank() ? "1"
                : grounder.sha256().substring(0, Math.min(16, grounder.sha256().length()));
        return new SegSpec(series, sop, SERIES_NUMBER, SERIES_DESCRIPTION, "Tessera", SegSpec.TESSERA_VERSION,
                SegSpec.deviceUid(grounder), serial, "GROUNDING", 1, "Tessera^" + grounder.name(), null);
    }

    /**
     * The findings that become segments, in segment order: grounded and not negated (segment n is element n-1).
     * Empty means there is nothing to write: do not write a grounding SEG then.
     */
    public static List<GroundedFinding> segmented(List<GroundedFinding> findings) {
        return FindingCodes.located(findings);
    }
}
