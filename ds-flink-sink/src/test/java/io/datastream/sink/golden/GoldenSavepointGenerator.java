package io.datastream.sink.golden;

import static org.awaitility.Awaitility.await;

import io.datastream.sink.SinkJob;
import io.datastream.sink.config.DedupConfig;
import io.datastream.sink.config.LineFormat;
import io.datastream.sink.decode.SourceBatch;
import io.datastream.sink.dedup.LineDeduplicator;
import io.datastream.sink.eventid.EventIdDeduplicator;
import io.datastream.sink.eventid.EventIdLine;
import io.datastream.sink.output.OutputChunk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Writes the golden savepoint of the de-duplication state as the code of this checkout keeps it:
 * run by hand, once per state version, with the data set of that version ({@link GoldenStateV1},
 * {@link GoldenStateV2}, {@link GoldenStateV3}, ...), and commit the result under
 * {@code src/test/resources/golden/state-v<N>/savepoint/} (one {@code _metadata} file of a few KB).
 *
 * <p>The job: a source that sends the data set's batches (then the same batches again,
 * once per checkpoint, so it never ends) -> key by source file, as {@code SinkJob} keys ->
 * {@link LineDeduplicator} with the production uid {@link SinkJob#UID_DEDUP} -> discarded. When
 * every batch went through, the job is stopped with a canonical savepoint (parallelism 1,
 * hashmap state backend, state inline in {@code _metadata}).
 *
 * <pre>
 * mvn -B -ntp -q test-compile -pl ds-flink-sink -am
 * mvn -B -ntp -q -pl ds-flink-sink dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
 * cd ds-flink-sink && java -cp target/classes:target/test-classes:$(cat target/test-classpath.txt) \
 *     io.datastream.sink.golden.GoldenSavepointGenerator V2 src/test/resources/golden/state-v2/savepoint
 * </pre>
 */
public final class GoldenSavepointGenerator {
    /** TTL of the state when the savepoint was taken (the default); only whether TTL is on is part of the format. */
    static final DedupConfig DEDUP = new DedupConfig(Duration.ofDays(7), 10_000);

    /** The uid of the generator's source; a restoring job does not have it (allowNonRestoredState). */
    public static final String SOURCE_UID = "golden-generator-source";

    /** Lines the de-duplication let through so far (the job runs in this JVM). */
    private static final AtomicLong WRITTEN = new AtomicLong();

    private GoldenSavepointGenerator() {
    }

    /**
     * The data a golden savepoint is made of; the state format is whatever the checked-out code
     * writes, so a data set is run once, with the release whose state version it names.
     */
    enum DataSet {
        V1(GoldenStateV1::batches, GoldenStateV1.DELIVERED_LINES),
        V2(GoldenStateV2::batches, GoldenStateV2.DELIVERED_LINES),
        /** The event-id state (issue #15) beside version 2 of the line ranges. */
        V3(GoldenStateV3::batches, GoldenStateV3.DELIVERED_LINES);

        private final Supplier<List<SourceBatch>> batches;
        private final int deliveredLines;

        DataSet(Supplier<List<SourceBatch>> batches, int deliveredLines) {
            this.batches = batches;
            this.deliveredLines = deliveredLines;
        }

        List<SourceBatch> batches() {
            return batches.get();
        }

        int deliveredLines() {
            return deliveredLines;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: GoldenSavepointGenerator <V1|V2|V3|...> <target folder>");
            System.exit(2);
        }
        DataSet data = DataSet.valueOf(args[0]);
        Path target = Path.of(args[1]);
        Path work = Files.createTempDirectory("golden-savepoint");
        Path savepoint = generate(data, work);
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(savepoint)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, target.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                System.out.println("wrote " + target.resolve(f.getFileName()) + " (" + Files.size(f) + " bytes)");
            }
        }
    }

    /** Runs the job on {@code data} and returns the folder of its savepoint, under {@code work}. */
    static Path generate(DataSet data, Path work) throws Exception {
        int n = data.batches().size();
        long lines = data.deliveredLines();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, new Configuration());
        env.enableCheckpointing(60_000);
        WRITTEN.set(0);

        DataGeneratorSource<SourceBatch> source = new DataGeneratorSource<>(new GoldenBatches(data), Long.MAX_VALUE,
                RateLimiterStrategy.perCheckpoint(n), TypeInformation.of(SourceBatch.class));
        SingleOutputStreamOperator<OutputChunk> chunks = env.fromSource(source, WatermarkStrategy.noWatermarks(), "golden batches")
                .uid(SOURCE_UID)
                .keyBy(SourceBatch::fileKey, Types.STRING)
                .process(new LineDeduplicator(DEDUP, LineFormat.RAW)).uid(SinkJob.UID_DEDUP).name("de-duplicate lines");
        // lines with client event ids, keyed as SinkJob keys them (since V3; V1 and V2 were made before it existed)
        SingleOutputStreamOperator<OutputChunk> idChunks = chunks.getSideOutput(EventIdLine.TAG)
                .keyBy(EventIdLine::key, Types.STRING)
                .process(new EventIdDeduplicator(DEDUP)).uid(SinkJob.UID_EVENT_ID_DEDUP).name("de-duplicate event ids");
        chunks.union(idChunks)
                .map(GoldenSavepointGenerator::count).uid("golden-count")
                .sinkTo(new DiscardingSink<OutputChunk>()).uid("golden-discard");
        JobClient job = env.executeAsync("golden savepoint");
        boolean stopped = false;
        try {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() -> WRITTEN.get() >= lines);
            String path = job.stopWithSavepoint(false, work.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL)
                    .get(60, TimeUnit.SECONDS);
            stopped = true;
            return Path.of(java.net.URI.create(path));
        } finally {
            if (!stopped) {
                job.cancel().get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Batch {@code i % n} of the data set: the batches, then re-sends of them. */
    private static final class GoldenBatches implements GeneratorFunction<Long, SourceBatch> {
        private static final long serialVersionUID = 1L;
        private final DataSet data;
        private transient List<SourceBatch> batches;

        GoldenBatches(DataSet data) {
            this.data = data;
        }

        @Override
        public SourceBatch map(Long i) {
            if (batches == null) {
                batches = data.batches();
            }
            return batches.get((int) (i % batches.size()));
        }
    }

    private static OutputChunk count(OutputChunk c) {
        WRITTEN.addAndGet(c.lines());
        return c;
    }
}
