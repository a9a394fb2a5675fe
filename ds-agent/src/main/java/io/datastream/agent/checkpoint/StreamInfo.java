package io.datastream.agent.checkpoint;

/**
 * A stream as the checkpointer needs to know it: identity, where reading started and where the
 * file is now.
 */
public record StreamInfo(String taskId, long streamId, long fingerprint, int fingerprintLength, long startOffset,
                         long dev, long ino, String path, long lastSeenMillis) {
}
