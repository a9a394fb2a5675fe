package io.datastream.router.channel;

/** What a channel says to a reservation: expected outcomes, not faults. */
public enum PutResult {
    /** Room reserved: the put will be taken. */
    OK,
    /** Not enough room now (back-pressure: HTTP 429). */
    FULL,
    /** The channel is closing (HTTP 503). */
    CLOSED
}
