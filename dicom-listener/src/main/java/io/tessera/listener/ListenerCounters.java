package io.tessera.listener;

/**
 * A snapshot of the listener's counters since start.
 *
 * @param associationsAccepted       associations negotiated
 * @param associationsRefused        connections that did not become an association, for any reason (the sum of
 *                                   the refusal counters below plus negotiation failures and non-DICOM connections)
 * @param refusedCallingAe           A-ASSOCIATE-RJ: calling AE title not allowed (or not from that host)
 * @param refusedCalledAe            A-ASSOCIATE-RJ: called AE title not ours
 * @param refusedAssociationLimit    A-ASSOCIATE-RJ transient: maxAssociations reached
 * @param tlsHandshakeFailures       TLS connections that failed the handshake (e.g. no trusted client certificate)
 * @param tlsAssociations            accepted associations that came over TLS
 * @param activeAssociations         associations open now
 * @param instancesStored            C-STORE answered Success
 * @param storeFailures              C-STORE answered with a failure status (including the study-size limit)
 * @param studyLimitRejections       C-STORE answered A700 because the study would exceed maxStudyBytes
 * @param echoes                     C-ECHO answered
 */
public record ListenerCounters(long associationsAccepted, long associationsRefused, long refusedCallingAe,
                               long refusedCalledAe, long refusedAssociationLimit, long tlsHandshakeFailures,
                               long tlsAssociations, long activeAssociations, long instancesStored, long storeFailures,
                               long studyLimitRejections, long echoes) {
}
