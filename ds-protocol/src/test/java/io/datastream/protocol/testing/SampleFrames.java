package io.datastream.protocol.testing;

import io.datastream.protocol.ErrorCode;
import io.datastream.protocol.ProtocolVersion;
import io.datastream.protocol.codec.CodecType;
import io.datastream.protocol.frame.Ack;
import io.datastream.protocol.frame.AckStatus;
import io.datastream.protocol.frame.BatchFrame;
import io.datastream.protocol.frame.Credit;
import io.datastream.protocol.frame.ErrorFrame;
import io.datastream.protocol.frame.Frame;
import io.datastream.protocol.frame.GoAway;
import io.datastream.protocol.frame.GoAwayReason;
import io.datastream.protocol.frame.Heartbeat;
import io.datastream.protocol.frame.Hello;
import io.datastream.protocol.frame.Welcome;
import io.netty.buffer.ByteBuf;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One or more frames of every type with fixed field values: the content of the version-1
 * golden files, and the round-trip corpus of the frame tests. Never change a value here: the
 * golden files were written from them.
 */
public final class SampleFrames {
    private SampleFrames() {
    }

    /** Lines of the sample batches. */
    public static final List<String> BATCH_LINES = List.of(
            "192.0.2.10 - - [01/May/2024:12:00:00 +0000] \"GET /index.html HTTP/1.1\" 200 5120 \"-\" \"curl/8.5.0\"",
            "",
            "2024-05-01 12:00:00.001 ERROR [worker-3] io.example.Job - failed: ünïcödé ✓",
            "{\"ts\":\"2024-05-01T12:00:00.002Z\",\"level\":\"INFO\",\"msg\":\"ok\"}");

    /** Start offset of the sample batches. */
    public static final long BATCH_START = 1_048_576L;

    public static Hello hello() {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("zone", "eu-west-1a");
        props.put("os", "linux");
        return new Hello(ProtocolVersion.V1, ProtocolVersion.V1, CodecType.supportedMask(), "agent-42",
                "web-01.example.com", "s3cr3t", "0.1.0", props);
    }

    public static Welcome welcome() {
        return new Welcome(ProtocolVersion.V1, CodecType.LZ4.mask() | CodecType.ZSTD.mask(), 5_000, 4 << 20,
                64L << 20, "router-1", Map.of("region", "eu"));
    }

    public static Credit credit() {
        return new Credit(0x0000_0001_2345_6789L);
    }

    public static Ack ackOk() {
        return Ack.ok(7);
    }

    public static Ack ackRejected() {
        return new Ack(8, AckStatus.REJECTED, ErrorCode.NO_ROUTE, "no route for task-7");
    }

    public static Ack ackRetry() {
        return new Ack(9, AckStatus.RETRY_LATER, ErrorCode.DOWNSTREAM_UNAVAILABLE, "kafka timeout");
    }

    public static Heartbeat heartbeat() {
        return new Heartbeat(1_714_564_800_000L);
    }

    public static GoAway goAwayDrain() {
        return new GoAway(GoAwayReason.DRAIN, List.of(), "shutting down");
    }

    public static GoAway goAwayMigrate() {
        return new GoAway(GoAwayReason.MIGRATE, List.of("router-2.example.com:7000", "10.0.0.3:7000"), "overloaded");
    }

    public static ErrorFrame error() {
        return new ErrorFrame(ErrorCode.UNSUPPORTED_VERSION, "no common version: agent speaks [2, 3], router [1, 1]");
    }

    /** A codec-none batch of {@link #BATCH_LINES}: byte-exact across library versions. */
    public static ByteBuf noneBatch() {
        return TestBatches.build(CodecType.NONE.create(), TestBatches.source(), BATCH_START, BATCH_LINES);
    }

    /** A BATCH frame holding {@link #noneBatch()}; the caller releases it. */
    public static BatchFrame batchFrame() {
        return new BatchFrame(7, noneBatch());
    }

    /** Every control frame sample, keyed by its golden file name (without ".bin"). */
    public static Map<String, Frame> controlFrames() {
        Map<String, Frame> m = new LinkedHashMap<>();
        m.put("hello", hello());
        m.put("welcome", welcome());
        m.put("credit", credit());
        m.put("ack-ok", ackOk());
        m.put("ack-rejected", ackRejected());
        m.put("ack-retry-later", ackRetry());
        m.put("heartbeat", heartbeat());
        m.put("goaway-drain", goAwayDrain());
        m.put("goaway-migrate", goAwayMigrate());
        m.put("error", error());
        return m;
    }
}
