package io.tessera.routes.reports;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one door every intake path (SR, HL7, FHIR, REST) goes through: validates a report, stores it durably, then tells
 * {@link ReportArrivals} which known studies it belongs to. Logs identifiers and sizes, never the text.
 *
 * <p>Failures: {@link ReportRejected} ({@code TSR-0850..0854}) when the sender must change the report; an
 * {@link IllegalStateException} ({@code TSR-0856/0857}) when it could not be stored (the sender may retry).
 */
public final class ReportIntake {
    private static final Logger log = LoggerFactory.getLogger(ReportIntake.class);
    /** DICOM UI: digits and dots, each component without a leading zero, at most 64 characters. */
    private static final Pattern UID = Pattern.compile("(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))*");
    public static final int MAX_TEXT_CHARS = 1 << 20;
    public static final int MAX_ACCESSION_CHARS = 64;

    /** What was accepted: the stored report, whether it was new, and the known studies it belongs to. */
    public record Accepted(Report report, boolean created, List<String> studyUids) {}

    private final ReportStore store;
    private final ReportArrivals arrivals;
    private final Clock clock;

    public ReportIntake(ReportStore store, ReportArrivals arrivals, Clock clock) {
        this.store = store;
        this.arrivals = arrivals;
        this.clock = clock;
    }

    public ReportStore store() {
        return store;
    }

    /** Validates, stores and (when new) tells {@link ReportArrivals}. */
    public Accepted accept(IncomingReport in) throws ReportRejected {
        return accept(in, true);
    }

    /**
     * As {@link #accept(IncomingReport)}; {@code notifyArrivals} false for a report found while its study is being
     * processed (an SR in the study), where re-queueing the study would only repeat the work under way.
     */
    public Accepted accept(IncomingReport in, boolean notifyArrivals) throws ReportRejected {
        String channel = in.source() == null ? "unknown" : in.source().name().toLowerCase(java.util.Locale.ROOT);
        try {
            Accepted a = check(in, notifyArrivals);
            io.tessera.routes.TesseraMeters.report(channel, a.created() ? "stored" : "duplicate");
            return a;
        } catch (ReportRejected e) {
            io.tessera.routes.TesseraMeters.report(channel, "rejected");
            throw e;
        }
    }

    private Accepted check(IncomingReport in, boolean notifyArrivals) throws ReportRejected {
        String uid = ReportStore.blankToNull(in.studyInstanceUid());
        String acc = ReportStore.blankToNull(in.accessionNumber());
        String text = in.text() == null ? "" : in.text().strip();
        if (uid == null && acc == null) {
            throw new ReportRejected("TSR-0850: the report names neither an accession number nor a Study Instance UID");
        }
        if (uid != null && (uid.length() > 64 || !UID.matcher(uid).matches())) {
            throw new ReportRejected("TSR-0852: '" + clip(uid) + "' is not a DICOM UID (digits and dots, at most 64 characters)");
        }
        if (acc != null && acc.length() > MAX_ACCESSION_CHARS) {
            throw new ReportRejected("TSR-0853: the accession number is longer than " + MAX_ACCESSION_CHARS + " characters");
        }
        if (text.isEmpty()) throw new ReportRejected("TSR-0851: the report has no text");
        if (text.length() > MAX_TEXT_CHARS) {
            throw new ReportRejected("TSR-0854: the report text is longer than " + MAX_TEXT_CHARS + " characters");
        }
        ReportStore.Stored stored = store.add(uid, acc, in.source(), in.sourceId(), text, clock.instant());
        List<String> studies = studiesOf(stored.report());
        Report r = stored.report();
        if (!stored.created()) {
            log.info("report {} from {} received again (same source id); kept the stored one", r.id(), r.source());
            return new Accepted(r, false, studies);
        }
        log.info("report {} from {} stored: study {}, accession {}, {} chars, {} known stud{}", r.id(), r.source(),
                uid == null ? "-" : uid, acc == null ? "absent" : "present", text.length(), studies.size(),
                studies.size() == 1 ? "y" : "ies");
        if (!notifyArrivals) return new Accepted(r, true, studies);
        try {
            arrivals.reportArrived(r, studies);
        } catch (RuntimeException e) {
            log.warn("TSR-0858: report {} stored, but its arrival hook failed: {}", r.id(), e.toString());
        }
        return new Accepted(r, true, studies);
    }

    private List<String> studiesOf(Report r) {
        List<String> out = new ArrayList<>();
        if (r.studyInstanceUid() != null) out.add(r.studyInstanceUid());
        else for (String s : store.studiesFor(r.accessionNumber())) if (!out.contains(s)) out.add(s);
        return out;
    }

    private static String clip(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
