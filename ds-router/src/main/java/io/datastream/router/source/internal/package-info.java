/**
 * The HTTP source's Netty handlers and their helpers: the request gate (limits, tokens, timers),
 * the bounded aggregator, the events handler (parse, route, reserve, put, answer), the request
 * parser for untrusted bodies, and the JSON answers.
 */
package io.datastream.router.source.internal;
