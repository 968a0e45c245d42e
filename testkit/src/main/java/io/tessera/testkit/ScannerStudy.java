package io.tessera.testkit;

import io.tessera.core.Grid;
import io.tessera.core.StudyInfo;
import io.tessera.core.Uids;
import io.tessera.core.Volume;
import io.tessera.dicomio.CtSeriesSpec;
import io.tessera.dicomio.CtSeriesWriter;
import io.tessera.dicomio.ScannerExtrasWriter;
import io.tessera.testkit.phantom.Phantom;
import io.tessera.testkit.phantom.PhantomGenerator;
import io.tessera.testkit.phantom.PhantomSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A CT study as scanners send it, not just its reconstruction: a coronal localizer (and optionally a sagittal one),
 * the phantom's axial series, a second axial reconstruction from the same data at twice the slice thickness, a dose
 * screen (Secondary Capture, Modality CT, no geometry) and an X-Ray Radiation Dose SR. Synthetic identities,
 * deterministic UIDs from the seed; one folder per series under the study folder.
 */
public record ScannerStudy(Phantom phantom, StudyInfo study, List<Series> series) {
    /** One written series; {@code role} is one of the constants below. */
    public record Series(String role, int number, String description, String seriesInstanceUid, List<Path> files) {}

    public static final String CORONAL_SCOUT = "coronal-scout";
    public static final String SAGITTAL_SCOUT = "sagittal-scout";
    public static final String AXIAL = "axial";
    public static final String AXIAL_THICK = "axial-thick";
    public static final String DOSE_SCREEN = "dose-screen";
    public static final String DOSE_REPORT = "dose-report";

    public ScannerStudy {
        series = List.copyOf(series);
    }

    public static Builder of(PhantomSpec spec) {
        return new Builder(spec);
    }

    public List<Path> files() {
        return series.stream().flatMap(s -> s.files().stream()).toList();
    }

    public Series series(String role) {
        return series.stream().filter(s -> s.role().equals(role)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no " + role + " series in this study"));
    }

    /** The series a segmentation model should take: the axial reconstructions. */
    public List<Series> reconstructions() {
        return series.stream().filter(s -> s.role().equals(AXIAL) || s.role().equals(AXIAL_THICK)).toList();
    }

    public static final class Builder {
        private final PhantomSpec spec;
        private boolean sagittalScout;
        private boolean secondReconstruction = true;

        private Builder(PhantomSpec spec) {
            this.spec = spec;
        }

        public Builder withSagittalScout(boolean yes) {
            this.sagittalScout = yes;
            return this;
        }

        public Builder withSecondReconstruction(boolean yes) {
            this.secondReconstruction = yes;
            return this;
        }

        public ScannerStudy write(Path dir) throws IOException {
            Phantom phantom = PhantomGenerator.generate(spec);
            String tag = spec.seed() + "-scanner-" + spec.nx() + "x" + spec.ny() + "x" + spec.nz();
            StudyInfo study = new StudyInfo(Uids.derive("tessera-phantom-study", tag), "PHANTOM-" + spec.seed(),
                    "Phantom^Seed" + spec.seed(), "19600101", "O", "ACC" + spec.seed(), "20260101", "083000",
                    "CT CHEST ABDOMEN (synthetic phantom, as scanners send it)", "1");
            String frame = Uids.derive("tessera-phantom-for", tag);
            ScannerExtrasWriter extras = new ScannerExtrasWriter();
            List<Series> out = new ArrayList<>();

            out.add(scout(extras, phantom, study, tag, frame, false, dir));
            if (sagittalScout) out.add(scout(extras, phantom, study, tag, frame, true, dir));
            double mm = spec.sliceSpacingMm();
            out.add(axial(AXIAL, phantom.ct(), study, tag, frame, 3, "Abdomen " + mm + " Br40", dir));
            if (secondReconstruction) {
                out.add(axial(AXIAL_THICK, thicker(phantom.ct()), study, tag, frame, 4, "Abdomen " + 2 * mm + " Br36", dir));
            }
            String screen = Uids.derive("tessera-phantom-series", tag, DOSE_SCREEN);
            out.add(new Series(DOSE_SCREEN, 501, "Dose Report", screen, List.of(
                    extras.doseScreen(study, screen, 501, "Dose Report", dir.resolve(DOSE_SCREEN).resolve("dose-screen.dcm")))));
            String sr = Uids.derive("tessera-phantom-series", tag, DOSE_REPORT);
            out.add(new Series(DOSE_REPORT, 502, "Radiation Dose Information", sr, List.of(
                    extras.doseReport(study, sr, 502, sagittalScout ? 3 : 2, 412.5, dir.resolve(DOSE_REPORT).resolve("dose-sr.dcm")))));
            return new ScannerStudy(phantom, study, out);
        }

        private static Series scout(ScannerExtrasWriter extras, Phantom phantom, StudyInfo study, String tag, String frame,
                                    boolean sagittal, Path dir) throws IOException {
            String role = sagittal ? SAGITTAL_SCOUT : CORONAL_SCOUT;
            String uid = Uids.derive("tessera-phantom-series", tag, role);
            String description = sagittal ? "Topogram 0.6 T20f lat" : "Topogram 0.6 T20f";
            int number = sagittal ? 2 : 1;
            CtSeriesSpec spec = CtSeriesSpec.of(uid, frame, description).withSeriesNumber(number);
            return new Series(role, number, description, uid,
                    List.of(extras.localizer(phantom.ct(), study, spec, sagittal, dir.resolve(role).resolve("scout.dcm"))));
        }

        private static Series axial(String role, Volume ct, StudyInfo study, String tag, String frame, int number,
                                    String description, Path dir) throws IOException {
            String uid = role.equals(AXIAL) ? Uids.derive("tessera-phantom-series", tag)
                    : Uids.derive("tessera-phantom-series", tag, role);
            CtSeriesSpec spec = CtSeriesSpec.of(uid, frame, description).withSeriesNumber(number);
            return new Series(role, number, description, uid, new CtSeriesWriter().write(ct, study, spec, dir.resolve(role)));
        }

        /** Pairs of slices averaged: the same anatomy reconstructed at twice the slice thickness, in the same frame. */
        static Volume thicker(Volume ct) {
            Grid g = ct.grid();
            int nz = g.nz() / 2;
            Grid thick = new Grid(g.nx(), g.ny(), nz, g.toPatient(0, 0, 0.5),
                    new double[] {g.spacing()[0], g.spacing()[1], 2 * g.spacing()[2]}, g.direction());
            int plane = g.nx() * g.ny();
            float[] v = ct.voxels();
            float[] out = new float[plane * nz];
            for (int k = 0; k < nz; k++) {
                for (int p = 0; p < plane; p++) out[k * plane + p] = (v[2 * k * plane + p] + v[(2 * k + 1) * plane + p]) / 2;
            }
            return new Volume(thick, out);
        }
    }
}
