package io.datastream.router.sim;

import io.datastream.protocol.CorruptBatchException;
import io.datastream.protocol.ProtocolLimits;
import io.datastream.protocol.batch.Batch;
import io.datastream.protocol.batch.BatchBuilder;
import io.datastream.protocol.batch.BatchSource;
import io.datastream.protocol.codec.CodecType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small parsed batches for unit tests; close() releases every buffer made. */
public final class BatchFixture implements AutoCloseable {
    private final BatchBuilder builder = new BatchBuilder(UnpooledByteBufAllocator.DEFAULT, 4096, 100);
    private final List<ByteBuf> buffers = new ArrayList<>();

    public Batch batch(String task, String agent, String host, String path, Map<String, String> headers) {
        builder.begin(new BatchSource(task, agent, host, path, 42L, headers), 0);
        byte[] line = "hello".getBytes(StandardCharsets.UTF_8);
        builder.tryAppend(line, 0, line.length, 1, 0);
        ByteBuf buf = builder.finish(CodecType.NONE.create());
        buffers.add(buf);
        try {
            return Batch.parse(buf, ProtocolLimits.DEFAULT);
        } catch (CorruptBatchException e) {
            throw new AssertionError(e);
        }
    }

    public Batch batch(String task, Map<String, String> headers) {
        return batch(task, "agent-1", "web-01", "/var/log/app.log", headers);
    }

    @Override
    public void close() {
        buffers.forEach(ByteBuf::release);
        builder.close();
    }
}
