package io.datastream.agent.checkpoint;

/**
 * A stream as the checkpointer needs to know it: identity, where reading started, where the file
 * is now, up to where its lines are counted as read ({@code countedOffset}, 0 = not known) and in
 * which minutes ({@code ranges}, the latest ones, ending at the counted offset).
 */
public record StreamInfo(String taskId, long streamId, long fingerprint, int fingerprintLength, long startOffset,
                         long dev, long ino, String path, long lastSeenMillis, long countedOffset, java.util.List<CountedRange> ranges) {

    public StreamInfo(String taskId, long streamId, long fingerprint, int fingerprintLength, long startOffset,
                      long dev, long ino, String path, long lastSeenMillis, long countedOffset) {
        this(taskId, streamId, fingerprint, fingerprintLength, startOffset, dev, ino, path, lastSeenMillis, countedOffset, java.util.List.of());
    }

    public StreamInfo(String taskId, long streamId, long fingerprint, int fingerprintLength, long startOffset,
                      long dev, long ino, String path, long lastSeenMillis) {
        this(taskId, streamId, fingerprint, fingerprintLength, startOffset, dev, ino, path, lastSeenMillis, 0);
    }
}
