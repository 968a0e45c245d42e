package io.tessera.dicomio;

import io.tessera.core.Code;
import io.tessera.core.Grid;
import io.tessera.core.LabelMap;
import io.tessera.core.ModelIdentity;
import io.tessera.core.SegmentLabel;
import io.tessera.core.StudyInfo;
import io.tessera.core.Uids;
import io.tessera.core.Volume;
import java.util.List;

/** Small deterministic CT phantoms; 31×23 slices so rows×columns is not a multiple of 8 (catches bit-packing bugs). */
final class Fixtures {
    static final int NX = 31, NY = 23, NZ = 10;
    static final StudyInfo STUDY = new StudyInfo(Uids.derive("fixture-study"), "PID-001", "Phantom^Test", "19700101", "O",
            "ACC-42", "20240102", "101112", "Synthetic phantom", "S1");
    static final ModelIdentity MODEL = new ModelIdentity("tiny-unet", "1.2.0", "abcdef0123456789abcdef", "CPU");
    static final List<SegmentLabel> LABELS = List.of(
            new SegmentLabel(1, "liver", Code.sct("123037004", "Anatomical Structure"), Code.sct("10200004", "Liver"),
                    new int[] {221, 130, 101}),
            new SegmentLabel(2, "liver_lesion", Code.sct("49755003", "Morphologically Abnormal Structure"),
                    Code.sct("52988006", "Lesion"), new int[] {255, 255, 0}),
            new SegmentLabel(3, "spleen", Code.sct("123037004", "Anatomical Structure"), Code.sct("78961009", "Spleen"),
                    new int[] {157, 108, 162}));

    private Fixtures() {}

    static Grid grid() {
        return Grid.axial(NX, NY, NZ, new double[] {-120.5, -80.25, 30.0}, new double[] {0.75, 0.9, 2.5});
    }

    /** A tilted grid (rotated about z, normal = row × column). */
    static Grid obliqueGrid() {
        double c = Math.cos(0.3), s = Math.sin(0.3);
        return new Grid(NX, NY, NZ, new double[] {10, -20, -5}, new double[] {0.8, 0.7, 3.0},
                new double[] {c, s, 0, -s, c, 0, 0, 0, 1});
    }

    /** HU values in −1024..2000 that vary along every axis (so any transposition or flip shows). */
    static Volume ct(Grid g) {
        Volume v = Volume.zeros(g);
        for (int k = 0; k < g.nz(); k++)
            for (int j = 0; j < g.ny(); j++)
                for (int i = 0; i < g.nx(); i++) v.voxels()[g.index(i, j, k)] = -1000 + 7 * i + 31 * j + 101 * k;
        return v;
    }

    /** Label 1 a box, label 2 a smaller box inside slice range 3..5, label 3 absent (a described but empty segment). */
    static LabelMap labels(Grid g) {
        LabelMap m = LabelMap.empty(g);
        for (int k = 1; k < 8; k++)
            for (int j = 2; j < 20; j++)
                for (int i = 3; i < 29; i++) m.labels()[g.index(i, j, k)] = 1;
        for (int k = 3; k < 6; k++)
            for (int j = 5; j < 9; j++)
                for (int i = 10; i < 17; i++) m.labels()[g.index(i, j, k)] = 2;
        return m;
    }

    static CtSeriesSpec ctSpec(String seriesUid) {
        return CtSeriesSpec.of(seriesUid, Uids.derive(seriesUid, "for"), "Synthetic CT");
    }
}
