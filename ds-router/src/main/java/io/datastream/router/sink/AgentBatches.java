package io.datastream.router.sink;

import io.datastream.protocol.CorruptBatchException;
import io.datastream.protocol.ProtocolLimits;
import io.datastream.protocol.batch.Batch;
import io.datastream.protocol.batch.RecordCursor;
import io.datastream.protocol.codec.CodecSet;
import io.datastream.router.event.Event;
import io.datastream.router.event.EventFormat;
import io.datastream.router.kafka.LineHeaders;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The entries of a channel of {@code format: batches} (the router's {@code routes[].channel}):
 * each one DSB1 batch exactly as an agent sent it (docs/protocol.md section 5), checked when it
 * was accepted. The Kafka sinks write it unchanged, so each line keeps its identity (task, agent,
 * fingerprint, offset); the file and webhook sinks write each line as a JSON event whose headers
 * are the batch's headers and the line's identity ({@link LineHeaders}: {@code ds.task},
 * {@code ds.agent}, {@code ds.host}, {@code ds.path}, {@code ds.fingerprint}, {@code ds.offset}).
 */
public final class AgentBatches {
    /** Parsing limits in the sinks: the router's own limits were checked when the batch was accepted. */
    private static final ProtocolLimits LIMITS = new ProtocolLimits(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);

    private AgentBatches() {
    }

    /** The batch of a channel entry. */
    static Batch parse(byte[] data, String channel) {
        try {
            return Batch.parse(Unpooled.wrappedBuffer(data), LIMITS);
        } catch (CorruptBatchException e) {
            throw new IllegalStateException("channel " + channel + " holds an agent batch that does not parse: " + e.getMessage(), e);
        }
    }

    /** An event with the batch's headers and no body: what a sink's topic template ({@code {header.NAME}}) is expanded over. */
    static Event headers(Batch b) {
        return new Event(b.headers(), new byte[0]);
    }

    /**
     * The lines of a channel entry as JSON events, separated by {@code '\n'} (none after the last):
     * {@code {"headers":{...batch headers..., "ds.task":..., "ds.offset":"1234"},"body":"the line"}}.
     */
    static byte[] jsonLines(byte[] data, String channel, CodecSet codecs) {
        Batch b = parse(data, channel);
        Map<String, String> headers = new LinkedHashMap<>(b.headers());
        headers.put(LineHeaders.TASK, b.taskId());
        headers.put(LineHeaders.AGENT, b.agentId());
        headers.put(LineHeaders.HOST, b.host());
        headers.put(LineHeaders.PATH, b.path());
        headers.put(LineHeaders.FINGERPRINT, String.format("%016x", b.fingerprint()));
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, b.uncompressedLength() * 2));
        try (RecordCursor c = b.openRecords(codecs, ByteBufAllocator.DEFAULT)) {
            boolean first = true;
            while (c.next()) {
                headers.put(LineHeaders.OFFSET, Long.toString(c.offset()));
                if (!first) {
                    out.write('\n');
                }
                first = false;
                out.writeBytes(EventFormat.JSON.serializer().serialize(new Event(headers, c.contentBytes())));
            }
        } catch (CorruptBatchException e) {
            throw new IllegalStateException("channel " + channel + " holds an agent batch whose records do not decode: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }
}
