package io.datastream.sink.eventid;

import io.datastream.sink.output.OutputChunk;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;

/**
 * One line with a client event id, formatted for its file, on its way from the line
 * de-duplication (which found its byte range new) to the event-id de-duplication.
 *
 * @param key        (task, client, id) as {@link EventIdReader#key} builds it: the key of the state
 * @param task       the batch's task
 * @param readTime   the batch's read time, epoch ms (minute reports, read-to-commit latency)
 * @param chunk      the formatted line, a chunk of one line
 */
public record EventIdLine(String key, String task, long readTime, OutputChunk chunk) {
    /** The epoch minute of the read time. */
    public long readMinute() {
        return io.datastream.protocol.report.MinuteLedger.minuteOf(readTime);
    }

    /** The side output of the line de-duplication that carries these lines. */
    public static final OutputTag<EventIdLine> TAG = new OutputTag<>("event-id-lines", TypeInformation.of(EventIdLine.class));
}
