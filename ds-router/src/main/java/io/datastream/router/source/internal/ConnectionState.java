package io.datastream.router.source.internal;

import java.util.ArrayDeque;

/** What the handlers of one connection share; touched only on its event loop. */
final class ConnectionState {
    /** The gate has seen a request head and not yet its last content. */
    boolean inRequest;
    /** The events handler is working on a request (waiting for it to be safe). */
    boolean busy;
    /** The grants of the requests the gate let through, in order, not yet taken by the events handler. */
    final ArrayDeque<Tokens.Grant> grants = new ArrayDeque<>(2);
    /** The body bytes each whole request read and not yet handled holds of the router-wide budget, in order. */
    final ArrayDeque<Long> bodyBytes = new ArrayDeque<>(2);
}
