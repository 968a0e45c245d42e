package io.tessera.testkit;

import io.tessera.core.StudyInfo;
import io.tessera.core.Uids;
import io.tessera.dicomio.CtSeriesSpec;
import io.tessera.dicomio.CtSeriesWriter;
import io.tessera.testkit.phantom.Phantom;
import io.tessera.testkit.phantom.PhantomGenerator;
import io.tessera.testkit.phantom.PhantomSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A phantom written as a DICOM CT study: synthetic identities (no real patient), deterministic UIDs from the seed,
 * one file per slice. The phantom's truth label maps are on the same grid as the written series.
 */
public record PhantomStudy(Phantom phantom, StudyInfo study, String seriesInstanceUid, List<Path> files) {

    public static PhantomStudy write(PhantomSpec spec, Path dir) throws IOException {
        Phantom phantom = PhantomGenerator.generate(spec);
        String tag = spec.seed() + "-" + spec.nx() + "x" + spec.ny() + "x" + spec.nz();
        String studyUid = Uids.derive("tessera-phantom-study", tag);
        StudyInfo study = new StudyInfo(studyUid, "PHANTOM-" + spec.seed(), "Phantom^Seed" + spec.seed(), "19600101", "O",
                "ACC" + spec.seed(), "20260101", "083000", "CT CHEST ABDOMEN (synthetic phantom)", "1");
        String seriesUid = Uids.derive("tessera-phantom-series", tag);
        CtSeriesSpec ct = CtSeriesSpec.of(seriesUid, Uids.derive("tessera-phantom-for", tag), "Phantom CT " + spec.sliceSpacingMm() + "mm");
        List<Path> files = new CtSeriesWriter().write(phantom.ct(), study, ct, dir);
        return new PhantomStudy(phantom, study, seriesUid, files);
    }
}
