package io.datastream.sink.output;

import java.io.IOException;
import org.apache.flink.streaming.api.functions.sink.filesystem.PartFileInfo;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.CheckpointRollingPolicy;

/**
 * Finishes a part file on every checkpoint (as every bulk format must) and also as soon as it
 * holds {@code maxPartSize} bytes (compressed bytes written so far, so approximate).
 */
public final class PartSizeRollingPolicy extends CheckpointRollingPolicy<OutputChunk, String> {
    private static final long serialVersionUID = 1L;

    private final long maxPartSize;

    public PartSizeRollingPolicy(long maxPartSize) {
        this.maxPartSize = maxPartSize;
    }

    @Override
    public boolean shouldRollOnEvent(PartFileInfo<String> part, OutputChunk element) throws IOException {
        return part.getSize() >= maxPartSize;
    }

    @Override
    public boolean shouldRollOnProcessingTime(PartFileInfo<String> part, long currentTime) {
        return false;
    }
}
