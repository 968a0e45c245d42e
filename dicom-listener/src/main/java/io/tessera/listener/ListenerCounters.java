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
 * @param nonDicomConnections        connections whose first bytes were not an A-ASSOCIATE-RQ (random bytes, port
 *                                   scanners, a cut-off request); included in associationsRefused
 * @param rejectedPresentationContexts presentation contexts refused at negotiation (SOP class or transfer syntax not
 *                                   accepted); the association itself may still be accepted
 * @param malformedInstances         C-STORE answered C000 because the data set was truncated or not well formed
 * @param invalidUids                C-STORE answered C000 because a SOP Instance, Series or Study UID was missing or
 *                                   invalid (never used as a file name)
 * @param oversizedPdus              PDUs longer than the maximum we announced, answered with A-ABORT
 * @param abortedAssociations        accepted associations that ended without an orderly release: peer vanished,
 *                                   A-ABORT received, or aborted by us (oversized PDU, protocol error)
 * @param oversizedInstances         C-STORE answered A700 because the data set (a deflated one: inflated) exceeded
 *                                   maxInstanceBytes
 * @param associateTimeouts          connections closed because no whole A-ASSOCIATE-RQ arrived within associateTimeout
 * @param refusedPerSource           connections closed at accept: their address already held maxConnectionsPerSource
 *                                   connections not yet screened
 * @param refusedAdmissionFull       connections closed at accept: every admission thread busy and its queue full
 * @param bytesStored                data set bytes of the instances answered Success (as received, before any
 *                                   inflation)
 */
public record ListenerCounters(long associationsAccepted, long associationsRefused, long refusedCallingAe,
                               long refusedCalledAe, long refusedAssociationLimit, long tlsHandshakeFailures,
                               long tlsAssociations, long activeAssociations, long instancesStored, long storeFailures,
                               long studyLimitRejections, long echoes, long nonDicomConnections,
                               long rejectedPresentationContexts, long malformedInstances, long invalidUids,
                               long oversizedPdus, long abortedAssociations, long oversizedInstances,
                               long associateTimeouts, long refusedPerSource, long refusedAdmissionFull,
                               long bytesStored) {
}
