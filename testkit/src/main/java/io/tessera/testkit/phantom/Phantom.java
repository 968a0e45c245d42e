package io.tessera.testkit.phantom;

import io.tessera.core.LabelMap;
import io.tessera.core.Volume;
import java.util.List;

/**
 * A generated CT phantom with its ground truth.
 *
 * @param spec       what was asked for
 * @param ct         Hounsfield units on an axial LPS grid centred on the torso
 * @param organs     organ truth: 0 air, 1 body, 2 lung_left, 3 lung_right, 4 bone, 5 liver, 6 spleen, 7 kidney_left,
 *                   8 kidney_right (lesion voxels keep their host organ's label)
 * @param lesionMap  0, or the 1-based index of the lesion the voxel centre lies in
 * @param lesions    the lesions, in index order
 * @param reportText a radiology report describing every lesion, with negated findings, a finding where there is no
 *                   lesion, and distractors
 * @param reportTruth the report's sentences with what each says (which lesion a positive sentence describes)
 */
public record Phantom(PhantomSpec spec, Volume ct, LabelMap organs, LabelMap lesionMap, List<Lesion> lesions, String reportText,
                      List<ReportSentence> reportTruth) {
    public Phantom {
        lesions = List.copyOf(lesions);
        reportTruth = List.copyOf(reportTruth);
    }

    /** A phantom whose report has no sentence-level truth. */
    public Phantom(PhantomSpec spec, Volume ct, LabelMap organs, LabelMap lesionMap, List<Lesion> lesions, String reportText) {
        this(spec, ct, organs, lesionMap, lesions, reportText, List.of());
    }
}
