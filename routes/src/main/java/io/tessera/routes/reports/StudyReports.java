package io.tessera.routes.reports;

import io.tessera.dicomio.DicomHeaders;
import io.tessera.dicomio.SrText;
import io.tessera.dicomio.SrTextReader;
import io.tessera.listener.InstanceRecord;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The report side of processing one study, for the study processor: remembers the study's accession number (so a
 * report that names only the accession and arrives later finds it), takes the text of every Basic Text, Enhanced or
 * Comprehensive SR in the study into the store (source SR, once per SOP Instance UID), and returns the study's
 * reports, newest first.
 *
 * <p>An SR that cannot be read is logged and skipped: the images are processed without its text.
 */
public sealed class StudyReports permits StudyReports.None {
    private static final Logger log = LoggerFactory.getLogger(StudyReports.class);
    private final ReportIntake intake;

    public StudyReports(ReportIntake intake) {
        this.intake = intake;
    }

    /** No reports: nothing is grounded (a server or test without report intake). */
    public static StudyReports none() {
        return None.INSTANCE;
    }

    /**
     * @param accessionNumber the study's accession number when the caller has read it (e.g. from a series summary);
     *                        null: read from the first instance's header
     * @param instances       the study's instances as the index lists them
     */
    public List<Report> forStudy(String studyUid, String accessionNumber, List<InstanceRecord> instances) {
        String acc = accessionNumber;
        if (acc == null && !instances.isEmpty()) acc = accessionOf(instances.get(0));
        intake.store().linkStudy(studyUid, acc);
        for (InstanceRecord i : instances) {
            if (!SrTextReader.isReportSr(i.sopClassUid())) continue;
            try {
                SrText sr = SrTextReader.read(i.path());
                intake.accept(new IncomingReport(studyUid, sr.accessionNumber().isEmpty() ? acc : sr.accessionNumber(),
                        ReportSource.SR, sr.sopInstanceUid(), sr.text()), false);
            } catch (IOException | ReportRejected e) {
                log.warn("study {}: SR {} not taken as a report: {}", studyUid, i.sopInstanceUid(), e.getMessage());
            }
        }
        return intake.store().findFor(studyUid, acc);
    }

    private static String accessionOf(InstanceRecord first) {
        try {
            Map<String, String> h = DicomHeaders.read(first.path());
            return h.get("AccessionNumber");
        } catch (IOException e) {
            log.warn("study {}: accession number unreadable from {}: {}", first.studyUid(), first.sopInstanceUid(), e.getMessage());
            return null;
        }
    }

    static final class None extends StudyReports {
        static final None INSTANCE = new None();

        private None() {
            super(null);
        }

        @Override
        public List<Report> forStudy(String studyUid, String accessionNumber, List<InstanceRecord> instances) {
            return List.of();
        }
    }
}
