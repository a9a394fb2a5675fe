package io.datastream.sink.output;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;

/**
 * Buckets {@code <task>/<time>}: the task directory is the batch's task id made safe for a path
 * ({@link #taskDirectory}), the time part is the batch's first event time formatted with the
 * configured pattern and zone (default {@code dt=YYYY-MM-DD/hour=HH}, UTC). A batch without an
 * event time (0) goes to the bucket of the processing time.
 */
public final class TaskTimeBucketAssigner implements BucketAssigner<OutputChunk, String> {
    private static final long serialVersionUID = 1L;
    private static final int MAX_TASK_DIR_LENGTH = 200;

    private final String pattern;
    private final ZoneId zone;
    private transient DateTimeFormatter formatter;

    public TaskTimeBucketAssigner(String pattern, ZoneId zone) {
        this.pattern = pattern;
        this.zone = zone;
    }

    @Override
    public String getBucketId(OutputChunk chunk, Context context) {
        long time = chunk.eventTime() > 0 ? chunk.eventTime() : context.currentProcessingTime();
        return bucketId(chunk.taskId(), time);
    }

    /** The bucket of {@code taskId} at {@code epochMillis}. */
    public String bucketId(String taskId, long epochMillis) {
        if (formatter == null) {
            formatter = DateTimeFormatter.ofPattern(pattern).withZone(zone);
        }
        return taskDirectory(taskId) + '/' + formatter.format(Instant.ofEpochMilli(epochMillis));
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
        return "TaskTimeBucketAssigner{pattern='" + pattern + "', zone=" + zone + "}";
    }
}
