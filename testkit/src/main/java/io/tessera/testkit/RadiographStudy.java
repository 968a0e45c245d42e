package io.tessera.testkit;

import io.tessera.core.StudyInfo;
import io.tessera.core.Uids;
import io.tessera.dicomio.RadiographSpec;
import io.tessera.dicomio.RadiographWriter;
import io.tessera.testkit.phantom.PhantomSpec;
import io.tessera.testkit.phantom.Radiograph;
import io.tessera.testkit.phantom.RadiographProjector;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A phantom's PA chest radiograph written as a one-image DX or CR study: synthetic identities (no real patient),
 * deterministic UIDs from the seed and the options, the projected truth beside it.
 */
public record RadiographStudy(Radiograph radiograph, StudyInfo study, String seriesInstanceUid, String sopInstanceUid, Path file) {
    /** The window written in the VOI LUT module (MONOCHROME2 terms): lungs to bone. */
    public static final double WINDOW_CENTER = 1900;
    public static final double WINDOW_WIDTH = 3400;

    public static RadiographStudy write(PhantomSpec spec, RadiographSpec.Kind kind, boolean monochrome1, Path dir) throws IOException {
        Radiograph r = RadiographProjector.project(spec);
        String tag = spec.seed() + "-" + spec.lesionCount() + "-" + kind + (monochrome1 ? "-m1" : "-m2");
        StudyInfo study = new StudyInfo(Uids.derive("tessera-radiograph-study", tag), "PHANTOM-" + spec.seed(),
                "Phantom^Seed" + spec.seed(), "19600101", "O", "ACCX" + spec.seed(), "20260101", "090000",
                "XR CHEST PA (synthetic phantom)", "1");
        String series = Uids.derive("tessera-radiograph-series", tag);
        String sop = Uids.derive(series, "image");
        RadiographSpec rs = new RadiographSpec(kind, series, sop, 1, "Chest PA", monochrome1, WINDOW_CENTER, WINDOW_WIDTH);
        Path file = new RadiographWriter().write(r.pixels(), r.width(), r.height(), r.spacingMm(), study, rs,
                dir.resolve(sop + ".dcm"));
        return new RadiographStudy(r, study, series, sop, file);
    }
}
