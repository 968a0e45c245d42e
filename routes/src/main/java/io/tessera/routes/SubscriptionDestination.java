package io.tessera.routes;

import io.tessera.config.DestinationConfig;
import io.tessera.fhir.NotifyException;
import io.tessera.fhir.Subscriptions;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Locale;
import java.util.function.Function;

/**
 * A FHIR Subscription's rest-hook as an outbox destination, named {@code subscription:<id>}: not configured but
 * created by an EHR on Tessera's endpoint. Its entries are notices ({@link Queue}): the entry's file path holds the
 * focus ({@code Type/id/_history/n}), its study UID the Subscription's id (so a notice never holds a study in
 * DELIVERING). A notice is sent by {@link Subscriptions#notify}; the outbox retries what did not arrive with its
 * back-off (no answer, 408, 429, 5xx) and parks what the receiver refuses (another 4xx).
 */
public final class SubscriptionDestination implements Destination {
    static final String PREFIX = "subscription:";
    private final DestinationConfig config;
    private final String subscriptionId;
    private final Subscriptions subscriptions;

    private SubscriptionDestination(String subscriptionId, Subscriptions subscriptions) {
        this.subscriptionId = subscriptionId;
        this.subscriptions = subscriptions;
        this.config = new DestinationConfig(PREFIX + subscriptionId, "rest-hook", null, null, 0, null, null, null);
    }

    /** Resolves {@code subscription:<id>} names for {@link Outbox#alsoSendingTo}; null for any other name. */
    public static Function<String, Destination> resolver(Subscriptions subscriptions) {
        return name -> name.startsWith(PREFIX) ? new SubscriptionDestination(name.substring(PREFIX.length()), subscriptions) : null;
    }

    /** Puts Subscription notices in the outbox table, on the FHIR store's transaction. */
    record Queue(Clock clock) implements Subscriptions.Queue {
        @Override
        public void enqueue(Connection tx, Subscriptions.Notice n) throws SQLException {
            // the outbox key is unique per (destination, key); a focus is short, but keys hold 64 characters
            String key = n.focus().length() <= 64 ? n.focus() : digest(n.focus());
            OutboxStore.enqueueIn(tx, n.subscriptionId(), 0, PREFIX + n.subscriptionId(), key, n.focus(), clock.instant());
        }
    }

    /** The queue the server hands to {@link Subscriptions}. */
    public static Subscriptions.Queue queue(Clock clock) {
        return new Queue(clock);
    }

    @Override
    public DestinationConfig config() {
        return config;
    }

    @Override
    public boolean takesImages() {
        return false;
    }

    @Override
    public String auditTarget() {
        return "Subscription/" + subscriptionId;
    }

    @Override
    public void send(Transport via, String studyUid, String key, Path focus) throws Deliverer.DeliveryException {
        try {
            subscriptions.notify(subscriptionId, focus.toString());
        } catch (NotifyException e) {
            FailureClass c = e.status() == 0 ? FailureClass.RETRYABLE : FailureClass.ofHttp(e.status());
            throw new Deliverer.DeliveryException(e.getMessage() + " [" + c.name().toLowerCase(Locale.ROOT) + "]", e,
                    c != FailureClass.PERMANENT);
        }
    }

    private static String digest(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
