package io.tessera.testkit;

import io.tessera.core.StudyInfo;
import io.tessera.core.Uids;
import io.tessera.dicomio.CtSeriesSpec;
import io.tessera.dicomio.CtSeriesWriter;
import io.tessera.testkit.phantom.AcquiredPhantom;
import io.tessera.testkit.phantom.PhantomAcquisition;
import io.tessera.testkit.phantom.PhantomGenerator;
import io.tessera.testkit.phantom.PhantomSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A phantom scanned with a given {@link PhantomAcquisition} (orientation, spacing, tilt) and written as a DICOM CT
 * series, one file per frame in acquisition order, each at its exact Image Position (Patient). {@code name} tells
 * acquisitions of one seed apart in the (deterministic) UIDs.
 */
public record AcquiredStudy(AcquiredPhantom phantom, StudyInfo study, String seriesInstanceUid, List<Path> files) {

    public static AcquiredStudy write(PhantomSpec spec, PhantomAcquisition acquisition, String name, Path dir)
            throws IOException {
        AcquiredPhantom phantom = PhantomGenerator.acquire(spec, acquisition);
        String tag = spec.seed() + "-" + name;
        StudyInfo study = new StudyInfo(Uids.derive("tessera-phantom-study", tag), "PHANTOM-" + spec.seed(),
                "Phantom^Seed" + spec.seed(), "19600101", "O", "ACC" + spec.seed(), "20260101", "083000",
                "CT CHEST ABDOMEN (synthetic phantom, " + name + ")", "1");
        String seriesUid = Uids.derive("tessera-phantom-series", tag);
        CtSeriesSpec ct = CtSeriesSpec.of(seriesUid, Uids.derive("tessera-phantom-for", tag), "Phantom CT " + name);
        List<Path> files = new CtSeriesWriter().write(phantom.ct(), study, ct, dir, acquisition.positions());
        return new AcquiredStudy(phantom, study, seriesUid, files);
    }
}
