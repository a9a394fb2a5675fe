/**
 * Deterministic, realistic log lines for tests and benchmarks.
 *
 * <p>{@link io.datastream.embedded.logs.LogGenerator#of(LogKind, long)} gives a generator of one
 * {@link io.datastream.embedded.logs.LogKind}: web access logs (combined log format), Java
 * application logs (with occasional multi-line stack traces) or JSON logs. The same kind and
 * seed always give the same bytes. Fields vary the way real ones do (sessions of one client,
 * a few hot URLs, mostly-200 statuses, request ids shared by a request's lines), so the output
 * compresses like real logs: about 4-6:1 with lz4 and 8-12:1 with zstd level 1 on large samples.
 */
package io.datastream.embedded.logs;
