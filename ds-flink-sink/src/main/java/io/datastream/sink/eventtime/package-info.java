/**
 * Event time of a line, parsed from the line's own bytes so that each line lands in the bucket
 * of the time it happened, not the time it was read. The task asks for it with the reserved batch
 * headers {@code ds.time}, {@code ds.time.pattern} and {@code ds.time.zone}
 * ({@link io.datastream.protocol.batch.ReservedHeaders}); {@link
 * io.datastream.sink.eventtime.EventTimeParsers} turns them into a
 * {@link io.datastream.sink.eventtime.LineTimeParser}, one per format: ISO-8601/RFC 3339, the
 * nginx/Apache common log format, RFC 3164 syslog, epoch seconds or millis, a java.time pattern,
 * or all of them ({@code auto}). The parsers work on the first bytes of the line, copied into a
 * reused array: no String and no object per line (except the pattern parser, which uses java.time).
 * Never throws for any bytes; a line without a time is {@link
 * io.datastream.sink.eventtime.LineTimeParser#NO_TIME}.
 */
package io.datastream.sink.eventtime;
