package io.datastream.sink.output;

import java.time.ZoneId;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;

/**
 * Buckets {@code <task>/<time>}: the task directory is the chunk's task id made safe for a path
 * ({@link #taskDirectory}), the time part is the chunk's event time formatted with the
 * configured pattern and zone ({@link TimeBuckets}; default {@code dt=YYYY-MM-DD/hour=HH}, UTC).
 * Every line of a chunk has its time in that bucket ({@link BucketChunks}). A chunk without an
 * event time (0) goes to the bucket of the processing time.
 */
public final class TaskTimeBucketAssigner implements BucketAssigner<OutputChunk, String> {
    private static final long serialVersionUID = 1L;
    private static final int MAX_TASK_DIR_LENGTH = 200;

    private final TimeBuckets buckets;

    public TaskTimeBucketAssigner(String pattern, ZoneId zone) {
        this.buckets = new TimeBuckets(pattern, zone);
    }

    @Override
    public String getBucketId(OutputChunk chunk, Context context) {
        long time = chunk.eventTime() > 0 ? chunk.eventTime() : context.currentProcessingTime();
        return bucketId(chunk.taskId(), time);
    }

    /** The bucket of {@code taskId} at {@code epochMillis}. */
    public String bucketId(String taskId, long epochMillis) {
        return taskDirectory(taskId) + '/' + buckets.format(epochMillis);
    }

    /**
     * A task id as one safe directory name: letters, digits, '.', '_' and '-' are kept, any other
     * character becomes '_'; a name that would be hidden (leading '.' or '_') or empty gets the
     * prefix {@code task-}; at most 200 characters. So no task id can leave the output directory.
     */
    public static String taskDirectory(String taskId) {
        String t = taskId == null ? "" : taskId;
        StringBuilder sb = new StringBuilder(Math.min(t.length(), MAX_TASK_DIR_LENGTH) + 5);
        for (int i = 0; i < t.length() && sb.length() < MAX_TASK_DIR_LENGTH; i++) {
            char c = t.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
            sb.append(ok ? c : '_');
        }
        if (sb.length() == 0 || sb.charAt(0) == '.' || sb.charAt(0) == '_') {
            sb.insert(0, "task-");
        }
        return sb.toString();
    }

    @Override
    public SimpleVersionedSerializer<String> getSerializer() {
        return SimpleVersionedStringSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "TaskTimeBucketAssigner{" + buckets + "}";
    }
}
