package io.datastream.router.kafka;

import io.datastream.protocol.batch.Batch;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Record headers of lines mode, all UTF-8 text: the line's identity (agent, fingerprint,
 * offset) and where it comes from. {@code kafka.linesHeaders} chooses which are written
 * ({@code ds.agent} and {@code ds.offset} always).
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

    /**
     * {@code names} ({@code kafka.linesHeaders}, validated with the router's config) as
     * {@link #common} takes them; checked once, at start-up.
     *
     * @throws IllegalArgumentException unless they are distinct names of this class holding {@link #OFFSET}
     */
    static List<String> checked(List<String> names) {
        List<String> all = List.of(TASK, AGENT, HOST, PATH, FINGERPRINT, OFFSET);
        if (!names.contains(OFFSET) || !all.containsAll(names) || new java.util.HashSet<>(names).size() != names.size()) {
            throw new IllegalArgumentException("lines headers must be distinct names among " + all + " and hold " + OFFSET + ": " + names);
        }
        return List.copyOf(names);
    }

    /**
     * The headers every line of the batch shares that {@code names} (from {@link #checked}) selects,
     * built once per batch in the order of the list in this class's description, with a free last
     * slot for the line's {@link #offset(long)}.
     */
    static Header[] common(Batch b, List<String> names) {
        Header[] h = new Header[names.size()];
        int i = 0;
        if (names.contains(TASK)) {
            h[i++] = header(TASK, b.taskId());
        }
        if (names.contains(AGENT)) {
            h[i++] = header(AGENT, b.agentId());
        }
        if (names.contains(HOST)) {
            h[i++] = header(HOST, b.host());
        }
        if (names.contains(PATH)) {
            h[i++] = header(PATH, b.path());
        }
        if (names.contains(FINGERPRINT)) {
            h[i] = new RecordHeader(FINGERPRINT, hex16(b.fingerprint()));
        }
        return h;
    }

    /** {@code String.format("%016x", v)} as ASCII bytes (without the formatter's parsing, once per batch). */
    static byte[] hex16(long v) {
        byte[] b = new byte[16];
        for (int i = 15; i >= 0; i--) {
            int d = (int) (v & 0xF);
            b[i] = (byte) (d < 10 ? '0' + d : 'a' + d - 10);
            v >>>= 4;
        }
        return b;
    }

    /** The {@code ds.offset} header: the offset in decimal (ASCII, so UTF-8), written without a String. */
    static Header offset(long offset) {
        return new RecordHeader(OFFSET, decimal(offset));
    }

    /** {@code Long.toString(v)} as ASCII bytes, in one allocation. */
    static byte[] decimal(long v) {
        if (v < 0) {
            return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
        }
        int n = 1;
        for (long x = v; x >= 10; x /= 10) {
            n++;
        }
        byte[] b = new byte[n];
        for (int i = n - 1; i >= 0; i--) {
            b[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return b;
    }

    private static Header header(String key, String value) {
        return new RecordHeader(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
