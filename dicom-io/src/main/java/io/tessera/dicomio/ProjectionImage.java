package io.tessera.dicomio;

import io.tessera.core.Grid;
import io.tessera.core.SliceRef;
import io.tessera.core.SourceSeries;
import io.tessera.core.StudyInfo;
import io.tessera.core.Volume;
import java.nio.file.Path;
import java.util.List;

/**
 * One single-frame image that is not a slice of a volume (CR, DX, secondary capture, a single frame of US or MG), read
 * by {@link ProjectionImageReader}: pixels in modality units (after the rescale) and always in the MONOCHROME2 sense
 * (higher values brighter: a MONOCHROME1 image is inverted over its stored range, its VOI window with it), x fastest.
 *
 * @param spacingSource which attribute gave the spacing: {@code PixelSpacing}, {@code ImagerPixelSpacing} (projection
 *                      images: at the detector, magnification not corrected) or {@code none} (1 mm assumed)
 * @param voiCenter     the first VOI LUT window (Window Center), MONOCHROME2 sense; NaN when the header has none
 * @param inverted      true when the file was MONOCHROME1
 */
public record ProjectionImage(StudyInfo study, String seriesInstanceUid, String seriesNumber, String seriesDescription,
                              String modality, String bodyPartExamined, String sopClassUid, String sopInstanceUid,
                              int width, int height, float[] values, double rowSpacingMm, double columnSpacingMm,
                              String spacingSource, double voiCenter, double voiWidth, boolean inverted, Path file) {

    /** As a one-slice series, for the writers that take one (SR, SEG): no patient geometry, so an identity grid. */
    public SourceSeries toSourceSeries() {
        Grid g = new Grid(width, height, 1, new double[] {0, 0, 0}, new double[] {columnSpacingMm, rowSpacingMm, 1},
                new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
        return new SourceSeries(study, seriesInstanceUid, modality, seriesDescription, seriesNumber, bodyPartExamined, null,
                null, Dcm.ds(rowSpacingMm, columnSpacingMm), new Volume(g, values), List.of(slice()));
    }

    public SliceRef slice() {
        return new SliceRef(sopClassUid, sopInstanceUid, null, file);
    }

    public boolean hasVoi() {
        return !Double.isNaN(voiCenter) && voiWidth > 0;
    }
}
