package io.datastream.protocol.frame;

import io.datastream.protocol.CorruptFrameException;
import io.datastream.protocol.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Frame layouts, version 1 (docs/protocol.md is normative). Integers are big-endian; a string
 * is a u16 byte length and that many UTF-8 bytes; a map is a u16 count and that many
 * key/value string pairs.
 *
 * <pre>
 * frame:     length u32 (bytes after this field, >= 2) | type u8 | flags u8 | body
 * HELLO:     magic u32 "DSP1" | min version u16 | max version u16 | codec mask u16 | reserved u16
 *            | agent id str | host str | auth token str | software version str | properties map
 * WELCOME:   version u16 | codec mask u16 | heartbeat interval ms u32 | max batch bytes u32
 *            | credit limit u64 | router id str | properties map
 * CREDIT:    credit limit u64
 * BATCH:     batch id u64 | batch bytes (the rest of the frame)
 * ACK:       batch id u64 | status u8 | error code u16 | message str
 * HEARTBEAT: sent at ms u64
 * GOAWAY:    reason u8 | count u16 | count x router address str | message str
 * ERROR:     error code u16 | message str
 * </pre>
 *
 * A decoder ignores body bytes after the fields it knows: later versions may append fields.
 */
public final class FrameCodec {
    /** Bytes before the body: length (4), type (1), flags (1). */
    public static final int HEADER_LENGTH = 6;
    /** The length field counts type and flags too. */
    public static final int LENGTH_FIELD_OVERHEAD = 2;

    static final int MAX_ID = 255;
    static final int MAX_TOKEN = 1024;
    static final int MAX_MESSAGE = 1024;
    static final int MAX_PROPERTIES = 64;
    static final int MAX_PROPERTY_VALUE = 1024;
    static final int MAX_SUGGESTED = 64;

    private FrameCodec() {
    }

    /**
     * An immutable copy that keeps the caller's iteration order (so equal frames encode to equal
     * bytes; {@code Map.copyOf} would not), rejecting null keys and values.
     */
    static Map<String, String> orderedCopy(Map<String, String> map) {
        Map<String, String> copy = new LinkedHashMap<>(map.size() * 2);
        for (Map.Entry<String, String> e : map.entrySet()) {
            copy.put(Objects.requireNonNull(e.getKey(), "property key"), Objects.requireNonNull(e.getValue(), "property value"));
        }
        return Collections.unmodifiableMap(copy);
    }

    private static int u16(int value, String field) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException(field + " must fit in a u16, was " + value);
        }
        return value;
    }

    // ---------------------------------------------------------------- encode

    /**
     * Writes a whole control frame (any frame but BATCH) to {@code out}.
     *
     * @throws IllegalArgumentException for a BATCH frame or a field the wire format cannot carry (a
     *         string over its limit that is not truncated, a u16 field out of range, a negative
     *         credit limit or a non-positive heartbeat interval); {@code out} is then left unchanged
     */
    public static void encodeControl(Frame frame, ByteBuf out) {
        if (frame instanceof BatchFrame) {
            throw new IllegalArgumentException("BATCH is not a control frame; use encodeBatchHeader");
        }
        int start = out.writerIndex();
        try {
            out.writeInt(0);
            out.writeByte(frame.type().id());
            out.writeByte(0);
            encodeControlBody(frame, out);
        } catch (RuntimeException e) {
            out.writerIndex(start);
            throw e;
        }
        out.setInt(start, out.writerIndex() - start - 4);
    }

    private static void encodeControlBody(Frame frame, ByteBuf out) {
        if (frame instanceof Hello h) {
            out.writeInt(Hello.MAGIC);
            out.writeShort(u16(h.minVersion(), "minVersion"));
            out.writeShort(u16(h.maxVersion(), "maxVersion"));
            out.writeShort(u16(h.codecMask(), "codecMask"));
            out.writeShort(0);
            writeString(out, h.agentId(), MAX_ID, false);
            writeString(out, h.host(), MAX_ID, false);
            writeString(out, h.authToken(), MAX_TOKEN, false);
            writeString(out, h.softwareVersion(), MAX_ID, true);
            writeMap(out, h.properties());
        } else if (frame instanceof Welcome w) {
            out.writeShort(u16(w.version(), "version"));
            out.writeShort(u16(w.codecMask(), "codecMask"));
            out.writeInt(positive(w.heartbeatIntervalMs(), "heartbeatIntervalMs"));
            out.writeInt(positive(w.maxBatchBytes(), "maxBatchBytes"));
            out.writeLong(notNegative(w.creditLimit(), "creditLimit"));
            writeString(out, w.routerId(), MAX_ID, false);
            writeMap(out, w.properties());
        } else if (frame instanceof Credit c) {
            out.writeLong(notNegative(c.limit(), "limit"));
        } else if (frame instanceof Ack a) {
            out.writeLong(a.batchId());
            out.writeByte(a.status().id());
            out.writeShort(a.error().id());
            writeString(out, a.message(), MAX_MESSAGE, true);
        } else if (frame instanceof Heartbeat hb) {
            out.writeLong(hb.sentAtMillis());
        } else if (frame instanceof GoAway g) {
            out.writeByte(g.reason().id());
            int n = Math.min(g.suggestedRouters().size(), MAX_SUGGESTED);
            out.writeShort(n);
            for (int i = 0; i < n; i++) {
                writeString(out, g.suggestedRouters().get(i), MAX_ID, false);
            }
            writeString(out, g.message(), MAX_MESSAGE, true);
        } else if (frame instanceof ErrorFrame e) {
            out.writeShort(e.code().id());
            writeString(out, e.message(), MAX_MESSAGE, true);
        } else {
            throw new IllegalArgumentException("unknown frame " + frame.getClass().getName());
        }
    }

    private static int positive(int value, String field) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be > 0, was " + value);
        }
        return value;
    }

    private static long notNegative(long value, String field) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must be >= 0, was " + value);
        }
        return value;
    }

    /** Writes the frame header and batch id of a BATCH frame; the batch bytes follow it on the wire. */
    public static void encodeBatchHeader(BatchFrame frame, ByteBuf out) {
        out.writeInt(LENGTH_FIELD_OVERHEAD + frame.creditCost());
        out.writeByte(FrameType.BATCH.id());
        out.writeByte(0);
        out.writeLong(frame.batchId());
    }

    private static void writeString(ByteBuf out, String s, int max, boolean truncate) {
        int lengthIndex = out.writerIndex();
        out.writeShort(0);
        int n = ByteBufUtil.writeUtf8(out, s);
        if (n > max) {
            if (!truncate) {
                out.writerIndex(lengthIndex);
                throw new IllegalArgumentException("string of " + n + " UTF-8 bytes is over the limit of " + max + ": " + abbreviate(s));
            }
            // cut at a character boundary
            int cut = max;
            while (cut > 0 && (out.getByte(lengthIndex + 2 + cut) & 0xC0) == 0x80) {
                cut--;
            }
            n = cut;
            out.writerIndex(lengthIndex + 2 + n);
        }
        out.setShort(lengthIndex, n);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    private static void writeMap(ByteBuf out, Map<String, String> map) {
        if (map.size() > MAX_PROPERTIES) {
            throw new IllegalArgumentException("at most " + MAX_PROPERTIES + " properties, got " + map.size());
        }
        out.writeShort(map.size());
        for (Map.Entry<String, String> e : map.entrySet()) {
            writeString(out, e.getKey(), MAX_ID, false);
            writeString(out, e.getValue(), MAX_PROPERTY_VALUE, false);
        }
    }

    // ---------------------------------------------------------------- decode

    /**
     * Decodes a frame body. For BATCH the result holds a retained slice of {@code body}; every
     * other frame copies what it needs.
     */
    public static Frame decodeBody(int typeId, int flags, ByteBuf body) throws CorruptFrameException {
        FrameType type = FrameType.fromId(typeId);
        if (type == null) {
            throw new CorruptFrameException(ErrorCode.UNKNOWN_FRAME_TYPE, "unknown frame type 0x" + Integer.toHexString(typeId));
        }
        Reader r = new Reader(body, type);
        return switch (type) {
            case HELLO -> {
                int magic = r.i32("magic");
                if (magic != Hello.MAGIC) {
                    throw new CorruptFrameException(ErrorCode.MALFORMED_FRAME, "HELLO has bad magic 0x" + Integer.toHexString(magic)
                            + ": this is not a ds protocol client");
                }
                int min = r.u16("min version");
                int max = r.u16("max version");
                int codecs = r.u16("codec mask");
                r.u16("reserved");
                String agent = r.string("agent id", MAX_ID);
                String host = r.string("host", MAX_ID);
                String token = r.string("auth token", MAX_TOKEN);
                String software = r.string("software version", MAX_ID);
                yield new Hello(min, max, codecs, agent, host, token, software, r.map("properties"));
            }
            case WELCOME -> new Welcome(r.u16("version"), r.u16("codec mask"), r.positiveI32("heartbeat interval"),
                    r.positiveI32("max batch bytes"), r.creditLimit(), r.string("router id", MAX_ID), r.map("properties"));
            case CREDIT -> new Credit(r.creditLimit());
            case BATCH -> {
                long id = r.i64("batch id");
                yield new BatchFrame(id, body.readRetainedSlice(body.readableBytes()));
            }
            case ACK -> {
                long id = r.i64("batch id");
                int statusId = r.u8("status");
                AckStatus status = AckStatus.fromId(statusId);
                if (status == null) {
                    throw new CorruptFrameException(ErrorCode.MALFORMED_FRAME, "ACK has unknown status " + statusId);
                }
                yield new Ack(id, status, ErrorCode.fromId(r.u16("error code")), r.string("message", MAX_MESSAGE));
            }
            case HEARTBEAT -> new Heartbeat(r.i64("timestamp"));
            case GOAWAY -> {
                GoAwayReason reason = GoAwayReason.fromId(r.u8("reason"));
                int n = r.u16("router count");
                if (n > MAX_SUGGESTED) {
                    throw new CorruptFrameException(ErrorCode.MALFORMED_FRAME, "GOAWAY suggests " + n + " routers, at most " + MAX_SUGGESTED);
                }
                List<String> routers = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    routers.add(r.string("router address", MAX_ID));
                }
                yield new GoAway(reason == null ? GoAwayReason.DRAIN : reason, routers, r.string("message", MAX_MESSAGE));
            }
            case ERROR -> new ErrorFrame(ErrorCode.fromId(r.u16("error code")), r.string("message", MAX_MESSAGE));
        };
    }

    /** Bounds-checked reads of a body; every short read is a typed error naming the field. */
    private static final class Reader {
        private final ByteBuf body;
        private final FrameType type;

        Reader(ByteBuf body, FrameType type) {
            this.body = body;
            this.type = type;
        }

        private void need(int n, String field) throws CorruptFrameException {
            if (body.readableBytes() < n) {
                throw new CorruptFrameException(ErrorCode.MALFORMED_FRAME, type + " frame ends inside its " + field);
            }
        }

        int u8(String field) throws CorruptFrameException {
            need(1, field);
            return body.readUnsignedByte();
        }

        int u16(String field) throws CorruptFrameException {
            need(2, field);
            return body.readUnsignedShort();
        }

        int i32(String field) throws CorruptFrameException {
            need(4, field);
            return body.readInt();
        }

        long i64(String field) throws CorruptFrameException {
            need(8, field);
            return body.readLong();
        }

        /** A u32 field that must be in [1, 2^31 - 1]. */
        int positiveI32(String field) throws CorruptFrameException {
            int v = i32(field);
            if (v <= 0) {
                throw new CorruptFrameException(ErrorCode.MALFORMED_FRAME, type + " " + field + " must be > 0, was " + (v & 0xFFFFFFFFL));
            }
            return v;
        }

        /** A u64 credit limit; values over 2^63 - 1 are malformed. */
        long creditLimit() throws CorruptFrameException {
            long v = i64("credit limit");
            if (v < 0) {
                throw new CorruptFrameException(ErrorCode.MALFORMED_FRAME, type + " credit limit " + Long.toUnsignedString(v) + " is over 2^63 - 1");
            }
            return v;
        }

        String string(String field, int max) throws CorruptFrameException {
            int len = u16(field);
            if (len > max) {
                throw new CorruptFrameException(ErrorCode.MALFORMED_FRAME, type + " " + field + " is " + len + " bytes, at most " + max);
            }
            need(len, field);
            String s = body.toString(body.readerIndex(), len, StandardCharsets.UTF_8);
            body.skipBytes(len);
            return s;
        }

        Map<String, String> map(String field) throws CorruptFrameException {
            int n = u16(field);
            if (n > MAX_PROPERTIES) {
                throw new CorruptFrameException(ErrorCode.MALFORMED_FRAME, type + " has " + n + " " + field + ", at most " + MAX_PROPERTIES);
            }
            if (n == 0) {
                return Collections.emptyMap();
            }
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                String k = string(field + " key", MAX_ID);
                m.put(k, string(field + " value", MAX_PROPERTY_VALUE));
            }
            return m;
        }
    }
}
