package io.datastream.protocol.batch;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where a batch's lines come from: the task, the agent, the host, the file and its
 * fingerprint, plus static headers used by routing rules. Immutable; its variable header bytes
 * are encoded once, here, and copied into every batch of this source.
 */
public final class BatchSource {
    private final String taskId;
    private final String agentId;
    private final String host;
    private final String path;
    private final long fingerprint;
    private final Map<String, String> headers;
    private final byte[] encoded;

    public BatchSource(String taskId, String agentId, String host, String path, long fingerprint,
                       Map<String, String> headers) {
        this.taskId = Objects.requireNonNull(taskId, "taskId");
        this.agentId = Objects.requireNonNull(agentId, "agentId");
        this.host = Objects.requireNonNull(host, "host");
        this.path = Objects.requireNonNull(path, "path");
        this.fingerprint = fingerprint;
        // Keep the caller's order: it is the order on the wire, so equal sources encode to equal bytes.
        Map<String, String> copy = new LinkedHashMap<>(Objects.requireNonNull(headers, "headers"));
        if (copy.size() > BatchLayout.MAX_HEADERS) {
            throw new IllegalArgumentException("at most " + BatchLayout.MAX_HEADERS + " headers, got " + copy.size());
        }
        this.headers = Collections.unmodifiableMap(copy);
        this.encoded = encode(copy);
        if (BatchLayout.FIXED_HEADER_LENGTH + encoded.length > BatchLayout.MAX_HEADER_LENGTH) {
            throw new IllegalArgumentException("task id, agent id, host, path and headers take " + encoded.length
                    + " bytes; the batch header holds at most " + (BatchLayout.MAX_HEADER_LENGTH - BatchLayout.FIXED_HEADER_LENGTH));
        }
    }

    private byte[] encode(Map<String, String> hdrs) {
        byte[][] parts = new byte[4 + 2 * hdrs.size()][];
        parts[0] = utf8("taskId", taskId, BatchLayout.MAX_ID_BYTES);
        parts[1] = utf8("agentId", agentId, BatchLayout.MAX_ID_BYTES);
        parts[2] = utf8("host", host, BatchLayout.MAX_ID_BYTES);
        parts[3] = utf8("path", path, BatchLayout.MAX_PATH_BYTES);
        int i = 4;
        for (Map.Entry<String, String> e : hdrs.entrySet()) {
            parts[i++] = utf8("header key", e.getKey(), BatchLayout.MAX_HEADER_KEY_BYTES);
            parts[i++] = utf8("header value", e.getValue(), BatchLayout.MAX_HEADER_VALUE_BYTES);
        }
        int len = 2;
        for (byte[] p : parts) {
            len += 2 + p.length;
        }
        byte[] out = new byte[len];
        int pos = 0;
        for (int k = 0; k < parts.length; k++) {
            if (k == 4) {
                pos = putU16(out, pos, hdrs.size());
            }
            pos = putU16(out, pos, parts[k].length);
            System.arraycopy(parts[k], 0, out, pos, parts[k].length);
            pos += parts[k].length;
        }
        if (parts.length == 4) {
            putU16(out, pos, 0);
        }
        return out;
    }

    private static int putU16(byte[] out, int pos, int v) {
        out[pos] = (byte) (v >>> 8);
        out[pos + 1] = (byte) v;
        return pos + 2;
    }

    private static byte[] utf8(String what, String s, int max) {
        byte[] b = Objects.requireNonNull(s, what).getBytes(StandardCharsets.UTF_8);
        if (b.length > max) {
            throw new IllegalArgumentException(what + " is " + b.length + " bytes of UTF-8, at most " + max + " allowed");
        }
        return b;
    }

    /** Writes the variable header part (strings and headers) to {@code out}. */
    void writeVariableHeader(ByteBuf out) {
        out.writeBytes(encoded);
    }

    int variableHeaderLength() {
        return encoded.length;
    }

    public String taskId() {
        return taskId;
    }

    public String agentId() {
        return agentId;
    }

    public String host() {
        return host;
    }

    public String path() {
        return path;
    }

    public long fingerprint() {
        return fingerprint;
    }

    public Map<String, String> headers() {
        return headers;
    }

    @Override
    public String toString() {
        return "BatchSource[task=" + taskId + ", agent=" + agentId + ", host=" + host + ", path=" + path
                + ", fingerprint=" + Long.toHexString(fingerprint) + "]";
    }
}
