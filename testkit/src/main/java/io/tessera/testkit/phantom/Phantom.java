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
 * @param reportText a short radiology report describing every lesion and one negated finding
 */
public record Phantom(PhantomSpec spec, Volume ct, LabelMap organs, LabelMap lesionMap, List<Lesion> lesions, String reportText) {
    public Phantom {
        lesions = List.copyOf(lesions);
    }
}
