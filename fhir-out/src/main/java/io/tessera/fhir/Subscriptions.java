package io.tessera.fhir;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FHIR R4 Subscriptions (rest-hook) on Tessera's endpoint: what clients create ({@link SubscriptionProvider}), the
 * notices {@link FhirRepository#store} queues for each new version of a matching resource, and the delivery of one
 * notice ({@link #notify(String, String)}), which the outbox calls and retries.
 *
 * <p>A notice is queued by {@link Queue} on the store's own connection, inside its transaction: a result version and
 * its notices commit together, so a crash loses neither, and the outbox's back-off and retries bring it to a receiver
 * that was down for a while. Channel headers (the receiver's credentials) are sent, never logged, and read back
 * redacted.
 */
public final class Subscriptions {
    private static final Logger LOG = LoggerFactory.getLogger(Subscriptions.class);
    /** Consecutive failed deliveries after which a Subscription's status becomes {@code error}. */
    static final int ERROR_AFTER = 3;
    static final String REDACTED = "[redacted]";

    /** Puts a notice in the persisted outbox, on the caller's connection (inside the store's transaction). */
    public interface Queue {
        void enqueue(Connection tx, Notice notice) throws SQLException;
    }

    /** One notification: Subscription {@code subscriptionId} about {@code focus} ({@code Type/id/_history/n}). */
    public record Notice(String subscriptionId, String focus) {}

    private final SubscriptionStore store;
    private final FhirStore resources;
    private final Queue queue;
    private final Clock clock;
    private final boolean allowPlainHttp;
    private final RestHook hook;

    /**
     * {@code allowPlainHttp}: accept {@code http://} endpoints on other machines too (a lab without certificates);
     * otherwise only {@code https} or this machine.
     */
    public Subscriptions(DataSource db, Queue queue, Clock clock, boolean allowPlainHttp) {
        this.store = new SubscriptionStore(db);
        this.resources = new FhirStore(db);
        this.queue = queue;
        this.clock = clock;
        this.allowPlainHttp = allowPlainHttp;
        this.hook = new RestHook();
    }

    Subscription create(Subscription s) {
        return put(withId(s, UUID.randomUUID().toString()), null);
    }

    /** Replaces (or creates with the client's id) a Subscription; redacted headers keep their stored values. */
    Subscription update(String id, Subscription s) {
        if (!id.matches("[A-Za-z0-9\\-.]{1,64}")) throw new InvalidRequestException("TSR-0640: invalid id " + id);
        Subscription old = read(id).orElse(null);
        return put(withId(s, id), old);
    }

    private static Subscription withId(Subscription s, String id) {
        Subscription copy = s.copy();
        copy.setId("Subscription/" + id);
        return copy;
    }

    private Subscription put(Subscription s, Subscription old) {
        s.getChannel().setHeader(unredacted(s.getChannel().getHeader(), old == null ? List.of() : stored(old.getIdPart())));
        String type = SubscriptionRules.check(s, allowPlainHttp);
        // the server, not the client, decides that a subscription runs: requested (or a re-enabled error) starts active
        if (s.getStatus() != Subscription.SubscriptionStatus.OFF) s.setStatus(Subscription.SubscriptionStatus.ACTIVE);
        Subscription stored = FhirRepository.sql(() -> store.put(s, type, clock.millis()));
        LOG.info("Subscription {} {} on {} ({})", stored.getIdPart(), old == null ? "created" : "updated", type,
                stored.getStatus().toCode());
        return redacted(stored);
    }

    Optional<Subscription> read(String id) {
        return FhirRepository.sql(() -> store.read(id)).map(Subscriptions::redacted);
    }

    List<Subscription> all() {
        return FhirRepository.sql(store::all).stream().map(Subscriptions::redacted).toList();
    }

    boolean delete(String id) {
        boolean gone = FhirRepository.sql(() -> store.delete(id));
        if (gone) LOG.info("Subscription {} deleted", id);
        return gone;
    }

    /**
     * Queues a notice for every live Subscription whose criteria match a resource {@code store} wrote in this
     * transaction ({@code written}); runs on the store's connection, so the match sees the new version.
     */
    void queueMatches(Connection c, List<Resource> written) throws SQLException {
        for (Resource r : written) {
            String type = r.fhirType();
            if (!SubscriptionCriteria.TYPES.contains(type)) continue;
            for (Subscription s : SubscriptionStore.live(c, type)) {
                String id = r.getIdElement().getIdPart();
                if (SubscriptionCriteria.matches(c, s.getCriteria(), type, id)) {
                    queue.enqueue(c, new Notice(s.getIdPart(), type + "/" + id + "/_history/" + r.getMeta().getVersionId()));
                }
            }
        }
    }

    /**
     * Sends one notice to its Subscription's endpoint; a Subscription deleted or {@code off} meanwhile gets nothing
     * (and the notice is done). Records the outcome: the {@value #ERROR_AFTER}th failure in a row sets status
     * {@code error}, the next success {@code active} again.
     */
    public void notify(String subscriptionId, String focus) throws NotifyException {
        Optional<Subscription> s = FhirRepository.sql(() -> store.read(subscriptionId));
        if (s.isEmpty() || s.get().getStatus() == Subscription.SubscriptionStatus.OFF) {
            LOG.info("Subscription {} is gone or off: notice about {} dropped", subscriptionId, focus);
            return;
        }
        try {
            hook.send(s.get(), focus, () -> resource(focus));
        } catch (NotifyException e) {
            String status = outcome(subscriptionId, e.getMessage());
            if ("error".equals(status) && s.get().getStatus() != Subscription.SubscriptionStatus.ERROR) {
                LOG.warn("TSR-0643: Subscription {} set to error after {} failed notifications: {}", subscriptionId,
                        ERROR_AFTER, e.getMessage());
            }
            throw e;
        }
        outcome(subscriptionId, null);
    }

    private String outcome(String id, String failure) {
        return FhirRepository.sql(() -> store.outcome(id, failure, ERROR_AFTER, clock.millis())).orElse(null);
    }

    private Optional<Resource> resource(String focus) {
        String[] p = focus.split("/");
        return FhirRepository.sql(() -> resources.vread(p[0], p[1], Integer.parseInt(p[3])));
    }

    /** The stored headers of a Subscription (not redacted). */
    private List<StringType> stored(String id) {
        return FhirRepository.sql(() -> store.read(id)).map(x -> x.getChannel().getHeader()).orElse(List.of());
    }

    /** A header sent back as read ({@code Name: [redacted]}) keeps the value stored under that name. */
    private static List<StringType> unredacted(List<StringType> given, List<StringType> stored) {
        return given.stream().map(h -> {
            String[] nv = SubscriptionRules.header(h.getValue());
            if (!nv[1].equals(REDACTED)) return h;
            return stored.stream().filter(o -> SubscriptionRules.header(o.getValue())[0].equalsIgnoreCase(nv[0])).findFirst()
                    .orElseThrow(() -> SubscriptionRules.refused("channel.header '" + nv[0] + "' has no stored value"));
        }).toList();
    }

    private static Subscription redacted(Subscription s) {
        Subscription out = s.copy();
        out.getChannel().setHeader(s.getChannel().getHeader().stream()
                .map(h -> new StringType(SubscriptionRules.header(h.getValue())[0] + ": " + REDACTED)).toList());
        return out;
    }
}
