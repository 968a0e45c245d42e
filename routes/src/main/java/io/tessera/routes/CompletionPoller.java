package io.tessera.routes;

import io.tessera.config.CompletionConfig;
import io.tessera.config.RouteConfig;
import io.tessera.listener.StudyIndex;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides when a study is complete and hands it on: claims (RECEIVING → COMPLETE in the index, one transaction) then
 * marks QUEUED. Two triggers:
 * <ul>
 *   <li>{@link #claim()} (a timer): studies quiet for their {@link QuietPeriods quiet period}, and studies whose
 *       release trigger is due;</li>
 *   <li>{@link #released(String, Set)} (the listener, after an orderly A-RELEASE): for calling AEs with the release
 *       trigger, the association's studies complete {@code releaseGrace} after the release, unless an instance of the
 *       study arrived after it (another association is still sending: the quiet period decides). With a zero grace they
 *       are claimed at once and returned to the caller to queue.</li>
 * </ul>
 * Pending release triggers live in memory only: after a restart the quiet period completes those studies.
 *
 * <p>After a restart ({@link #resumeFrom}) the quiet period counts from the restart for studies received before it,
 * and the studies found QUEUED (caught by the stop or crash) are handed out only once their quiet period has passed
 * since the restart: the sender may still be re-sending what it thinks was lost, and a re-sent new instance re-opens
 * the study under a new version instead of being left out of the results.
 */
public final class CompletionPoller {
    private static final Logger log = LoggerFactory.getLogger(CompletionPoller.class);
    private final StudyIndex index;
    private final Function<String, Duration> quietPeriods;
    private final Predicate<String> releaseCompletes;
    private final Duration releaseGrace;
    private final Clock clock;
    /** study UID → the latest release of an association that stored instances of it. */
    private final Map<String, Instant> releases = new ConcurrentHashMap<>();
    /** Studies QUEUED when the server started, waiting their quiet period from {@link #resumedAt}. */
    private final Set<String> resumed = ConcurrentHashMap.newKeySet();
    private volatile Instant resumedAt = Instant.EPOCH;

    public CompletionPoller(StudyIndex index, Function<String, Duration> quietPeriods, Predicate<String> releaseCompletes,
                            Duration releaseGrace, Clock clock) {
        this.index = index;
        this.quietPeriods = quietPeriods;
        this.releaseCompletes = releaseCompletes;
        this.releaseGrace = releaseGrace;
        this.clock = clock;
    }

    /** One global quiet period, no release trigger. */
    public CompletionPoller(StudyIndex index, Duration quietPeriod, Clock clock) {
        this(index, ae -> quietPeriod, ae -> false, Duration.ZERO, clock);
    }

    /** From the {@code completion} section and the routes' quiet periods. */
    public static CompletionPoller of(StudyIndex index, CompletionConfig completion, List<RouteConfig> routes, Clock clock) {
        return new CompletionPoller(index, new QuietPeriods(completion, routes), completion::releaseCompletes,
                completion.releaseGrace(), clock);
    }

    /**
     * Start-up, after the spool's recovery: quiet periods count from {@code restartedAt} at the earliest, and
     * {@code queued} (studies found QUEUED) are handed out by {@link #claim()} once quiet since then.
     */
    public void resumeFrom(Instant restartedAt, java.util.Collection<String> queued) {
        resumedAt = restartedAt;
        resumed.addAll(queued);
    }

    /** Claims quiet studies and studies whose release trigger is due; returns the UIDs now QUEUED. */
    public List<String> claim() {
        Instant now = clock.instant();
        List<String> claimed = new ArrayList<>(index.claimQuietStudies(now, quietPeriods, resumedAt));
        for (Map.Entry<String, Instant> e : List.copyOf(releases.entrySet())) {
            if (e.getValue().plus(releaseGrace).isAfter(now)) continue;
            List<String> got = index.claimNow(Set.of(e.getKey()), e.getValue());
            if (!got.isEmpty()) log.info("study {} complete: its sending association was released", e.getKey());
            claimed.addAll(got);
            releases.remove(e.getKey(), e.getValue());
        }
        List<String> out = queue(claimed);
        out.addAll(resumedDue(now));
        return out;
    }

    private List<String> resumedDue(Instant now) {
        if (resumed.isEmpty()) return List.of();
        List<String> due = new ArrayList<>();
        for (String uid : List.copyOf(resumed)) {
            var study = index.study(uid);
            if (study.isEmpty() || study.get().state() != io.tessera.core.JobState.QUEUED) {
                resumed.remove(uid); // re-opened by a new instance, or gone: completion decides again
            } else if (!resumedAt.plus(quietPeriods.apply(study.get().callingAe())).isAfter(now)) {
                resumed.remove(uid);
                log.info("study {} resumed: quiet for its quiet period since the restart", uid);
                due.add(uid);
            }
        }
        return due;
    }

    /**
     * The listener's release callback: notes (or, with a zero grace, claims at once) the association's studies if
     * {@code callingAe} has the release trigger.
     *
     * @return the UIDs claimed and QUEUED now; the caller sends them to the study queue
     */
    public List<String> released(String callingAe, Set<String> studyUids) {
        if (!releaseCompletes.test(callingAe) || studyUids.isEmpty()) return List.of();
        Instant at = clock.instant();
        if (releaseGrace.isZero()) {
            List<String> claimed = index.claimNow(studyUids, at);
            if (!claimed.isEmpty()) log.info("studies {} complete: association from {} released", claimed, callingAe);
            return queue(claimed);
        }
        for (String uid : studyUids) releases.merge(uid, at, (a, b) -> a.isAfter(b) ? a : b);
        return List.of();
    }

    private List<String> queue(List<String> claimed) {
        List<String> queued = new ArrayList<>(claimed.size());
        Instant now = clock.instant();
        for (String uid : claimed) {
            if (index.markQueued(uid)) {
                queued.add(uid);
                index.study(uid).ifPresent(s -> TesseraMeters.completionWait(Duration.between(s.lastReceived(), now)));
            }
        }
        return queued;
    }
}
