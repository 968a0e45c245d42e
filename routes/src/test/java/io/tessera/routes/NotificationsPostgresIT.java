package io.tessera.routes;

import io.tessera.listener.IndexDatabase;
import io.tessera.testkit.PostgresPeer;

/**
 * {@link NotificationsIT} with the index database on a real PostgreSQL server: the Subscriptions migration, the match
 * inside the store's transaction and the outbox insert in it (a notice already queued must not abort that
 * transaction, as a failed INSERT would on PostgreSQL).
 */
class NotificationsPostgresIT extends NotificationsIT {
    private final String url = PostgresPeer.sharedSchemaUrl(IndexDatabase.EMBEDDED_USER);

    @Override
    String url() {
        return url;
    }
}
