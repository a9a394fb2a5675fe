package io.datastream.sink.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.junit.jupiter.api.Test;

class TaskTimeBucketAssignerTest {
    private static final String DEFAULT_PATTERN = "'dt='yyyy-MM-dd/'hour='HH";
    private static final long T = Instant.parse("2024-03-05T23:59:59.999Z").toEpochMilli();

    private static BucketAssigner.Context at(long processingTime) {
        return new BucketAssigner.Context() {
            @Override
            public long currentProcessingTime() {
                return processingTime;
            }

            @Override
            public long currentWatermark() {
                return Long.MIN_VALUE;
            }

            @Override
            public Long timestamp() {
                return null;
            }
        };
    }

    @Test
    void bucketIsTaskThenDateAndHourOfTheEventTimeInUtc() {
        TaskTimeBucketAssigner a = new TaskTimeBucketAssigner(DEFAULT_PATTERN, ZoneOffset.UTC);
        assertThat(a.getBucketId(new OutputChunk("web-access", T, new byte[0], 0), at(0))).isEqualTo("web-access/dt=2024-03-05/hour=23");
        assertThat(a.getBucketId(new OutputChunk("web-access", T + 1, new byte[0], 0), at(0))).isEqualTo("web-access/dt=2024-03-06/hour=00");
    }

    @Test
    void zoneAndPatternAreConfigurable() {
        TaskTimeBucketAssigner a = new TaskTimeBucketAssigner("yyyy/MM/dd/HH", ZoneId.of("Asia/Shanghai"));
        assertThat(a.bucketId("app", T)).isEqualTo("app/2024/03/06/07");
    }

    @Test
    void withoutAnEventTimeTheProcessingTimeDecides() {
        TaskTimeBucketAssigner a = new TaskTimeBucketAssigner(DEFAULT_PATTERN, ZoneOffset.UTC);
        assertThat(a.getBucketId(new OutputChunk("app", 0, new byte[0], 0), at(T))).isEqualTo("app/dt=2024-03-05/hour=23");
    }

    @Test
    void noTaskIdCanLeaveTheOutputDirectory() {
        assertThat(TaskTimeBucketAssigner.taskDirectory("../../etc")).isEqualTo("task-.._.._etc");
        assertThat(TaskTimeBucketAssigner.taskDirectory("/abs/path")).isEqualTo("task-_abs_path");
        assertThat(TaskTimeBucketAssigner.taskDirectory("..")).isEqualTo("task-..");
        assertThat(TaskTimeBucketAssigner.taskDirectory(".hidden")).isEqualTo("task-.hidden");
        assertThat(TaskTimeBucketAssigner.taskDirectory("_tmp")).isEqualTo("task-_tmp");
        assertThat(TaskTimeBucketAssigner.taskDirectory("")).isEqualTo("task-");
        assertThat(TaskTimeBucketAssigner.taskDirectory("web access/日志")).isEqualTo("web_access___");
        assertThat(TaskTimeBucketAssigner.taskDirectory("x".repeat(500))).hasSize(200);
        assertThat(TaskTimeBucketAssigner.taskDirectory("nginx-access_v2.prod")).isEqualTo("nginx-access_v2.prod");
    }
}
