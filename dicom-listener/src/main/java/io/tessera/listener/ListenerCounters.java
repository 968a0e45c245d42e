package io.tessera.listener;

/** A snapshot of the listener's counters since start. */
public record ListenerCounters(long associationsAccepted, long associationsRefused, long instancesStored,
                               long storeFailures, long echoes) {
}
