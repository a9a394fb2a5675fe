package io.datastream.router.kafka;

import io.datastream.protocol.batch.Batch;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Record headers of lines mode, all UTF-8 text: the line's identity (agent, fingerprint,
 * offset) and where it comes from.
 *
 * <pre>
 * ds.task         task id
 * ds.agent        agent id
 * ds.host         host name
 * ds.path         file path
 * ds.fingerprint  file fingerprint, 16 lowercase hex digits
 * ds.offset       byte offset of the line in the file, decimal
 * </pre>
 */
public final class LineHeaders {
    public static final String TASK = "ds.task";
    public static final String AGENT = "ds.agent";
    public static final String HOST = "ds.host";
    public static final String PATH = "ds.path";
    public static final String FINGERPRINT = "ds.fingerprint";
    public static final String OFFSET = "ds.offset";

    private LineHeaders() {
    }

    /** The headers every line of the batch shares, with a free last slot for the offset. */
    static Header[] common(Batch b) {
        return new Header[]{
            header(TASK, b.taskId()), header(AGENT, b.agentId()), header(HOST, b.host()), header(PATH, b.path()),
            header(FINGERPRINT, String.format("%016x", b.fingerprint())), null};
    }

    static RecordHeaders of(Header[] common, long offset) {
        Header[] h = Arrays.copyOf(common, common.length);
        h[h.length - 1] = header(OFFSET, Long.toString(offset));
        return new RecordHeaders(h);
    }

    private static Header header(String key, String value) {
        return new RecordHeader(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
