package io.datastream.sink;

import io.datastream.sink.config.ConfigException;
import io.datastream.sink.config.SinkConfig;
import io.datastream.sink.deadletter.DeadLetter;
import io.datastream.sink.deadletter.DeadLetters;
import io.datastream.sink.decode.EnvelopeParser;
import io.datastream.sink.decode.SourceBatch;
import io.datastream.sink.dedup.LineDeduplicator;
import io.datastream.sink.eventid.EventIdDeduplicator;
import io.datastream.sink.eventid.EventIdLine;
import io.datastream.sink.output.LineFiles;
import io.datastream.sink.output.OutputChunk;
import io.datastream.sink.output.TimeBuckets;
import io.datastream.sink.source.KafkaRecord;
import io.datastream.sink.source.KafkaSources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.datastream.DataStreamSource;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The ds sink job: Kafka envelopes -> parse -> key by source file -> drop delivered lines ->
 * compressed line files in {@code <task>/<time>} buckets, exactly once through checkpoints. Lines
 * with a client event id (router HTTP events with {@code ds.eventId}) go through one more keyed
 * stage, by (task, client, id), that drops a client's re-sends.
 *
 * <p>Run it with {@code flink run target/ds-flink-sink-<version>-job.jar --config sink.yaml}, or
 * embed it in a launcher that owns its own environment (a MiniCluster in the same JVM):
 * <pre>
 * SinkConfig cfg = SinkConfig.load(Path.of("sink.yaml"));
 * StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
 * SinkJob.configureEnvironment(env, cfg);   // exactly-once checkpoints every job.checkpointInterval
 * SinkJob.define(env, cfg);                 // the operators
 * JobClient job = env.executeAsync(cfg.job().name());
 * </pre>
 */
public final class SinkJob {
    /** Operator uids: part of the savepoint compatibility contract, never change them. */
    public static final String UID_SOURCE = "ds-sink-kafka-source";
    public static final String UID_PARSER = "ds-sink-envelope-parser";
    public static final String UID_DEDUP = "ds-sink-line-dedup";
    public static final String UID_EVENT_ID_DEDUP = "ds-sink-event-id-dedup";
    public static final String UID_LINE_FILES = "ds-sink-line-files";
    public static final String UID_DEAD_LETTERS = "ds-sink-dead-letters";

    private SinkJob() {
    }

    /**
     * {@code flink run ... --config sink.yaml}, or {@code --config-yaml <the YAML text>} (what
     * {@code ds sink --submit} passes through Flink's REST API, where {@code main} runs on the
     * JobManager, which may not have the file); without either every key has its default.
     */
    public static void main(String[] args) throws Exception {
        SinkConfig cfg;
        try {
            cfg = loadConfig(args);
        } catch (ConfigException | IllegalArgumentException e) {
            System.err.println("ds-flink-sink: " + e.getMessage());
            System.err.println("usage: flink run ds-flink-sink-job.jar [--config sink.yaml | --config-yaml YAML]");
            throw e;
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        configureEnvironment(env, cfg);
        define(env, cfg);
        env.execute(cfg.job().name());
    }

    /**
     * Reads {@code --config <file>} (or {@code --config=<file>}) or {@code --config-yaml <text>};
     * the defaults without either.
     */
    static SinkConfig loadConfig(String[] args) throws IOException {
        Path file = null;
        String yaml = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--config") || a.equals("-c")) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--config needs a file");
                }
                file = Path.of(args[++i]);
            } else if (a.startsWith("--config=")) {
                file = Path.of(a.substring("--config=".length()));
            } else if (a.equals("--config-yaml")) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--config-yaml needs the YAML text");
                }
                yaml = args[++i];
            } else {
                throw new IllegalArgumentException("unknown argument '" + a + "'");
            }
        }
        if (file != null && yaml != null) {
            throw new IllegalArgumentException("--config and --config-yaml: give one of them");
        }
        if (yaml != null) {
            return SinkConfig.parse(yaml);
        }
        if (file == null) {
            return SinkConfig.defaults();
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("config file " + file + " does not exist");
        }
        return SinkConfig.load(file);
    }

    /**
     * Enables exactly-once checkpoints every {@code job.checkpointInterval}, kept when the job is
     * cancelled (so it can be resumed from the last one), in {@code job.checkpointDir} when set;
     * and object reuse (no operator of the job keeps or changes a record it was handed, so chained
     * operators can pass records without a defensive copy).
     */
    public static void configureEnvironment(StreamExecutionEnvironment env, SinkConfig cfg) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        if (cfg.job().checkpointDir() != null) {
            conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, cfg.job().checkpointDir());
        }
        env.configure(conf);
        env.enableCheckpointing(cfg.job().checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
    }

    /**
     * Adds the sink's operators to {@code env}. Checkpointing must be enabled (see
     * {@link #configureEnvironment}): files are committed only by checkpoints.
     *
     * @throws IllegalStateException when checkpointing is not enabled
     */
    public static void define(StreamExecutionEnvironment env, SinkConfig cfg) {
        define(env, cfg, Stages.NONE);
    }

    /** Test seam: extra stages spliced into the flow (failure injection). */
    static void define(StreamExecutionEnvironment env, SinkConfig cfg, Stages stages) {
        if (!env.getCheckpointConfig().isCheckpointingEnabled()) {
            throw new IllegalStateException("the sink writes files exactly once only with checkpointing: "
                    + "call SinkJob.configureEnvironment(env, cfg) or env.enableCheckpointing(...) first");
        }
        int parallelism = cfg.job().parallelism();

        DataStreamSource<KafkaRecord> records = env.fromSource(KafkaSources.create(cfg.kafka()), WatermarkStrategy.noWatermarks(), "kafka source");
        records.uid(UID_SOURCE);

        SingleOutputStreamOperator<SourceBatch> batches = records.process(new EnvelopeParser()).uid(UID_PARSER).name("parse envelopes");

        SingleOutputStreamOperator<OutputChunk> chunks = stages.beforeDedup.apply(batches)
                .keyBy(new FileKey(), Types.STRING)
                .process(new LineDeduplicator(cfg.dedup(), cfg.output().format(),
                        new TimeBuckets(cfg.output().bucketPattern(), cfg.output().timeZone())))
                .uid(UID_DEDUP).name("de-duplicate lines");

        // lines with a client event id: keyed by (task, client, id), the first one written
        SingleOutputStreamOperator<OutputChunk> idChunks = chunks.getSideOutput(EventIdLine.TAG)
                .keyBy(new EventIdKey(), Types.STRING)
                .process(new EventIdDeduplicator(cfg.dedup()))
                .uid(UID_EVENT_ID_DEDUP).name("de-duplicate event ids");

        DataStreamSink<OutputChunk> files = stages.beforeFiles.apply(chunks.union(idChunks))
                .sinkTo(LineFiles.sink(cfg.output())).uid(UID_LINE_FILES).name("line files");

        DataStream<DeadLetter> dead = batches.getSideOutput(DeadLetters.TAG).union(chunks.getSideOutput(DeadLetters.TAG));
        DataStreamSink<DeadLetter> deadFiles = dead.sinkTo(DeadLetters.sink(cfg.deadLetter()))
                .uid(UID_DEAD_LETTERS).name("dead letters");
        deadFiles.setParallelism(1);

        if (parallelism > 0) {
            records.setParallelism(parallelism);
            batches.setParallelism(parallelism);
            chunks.setParallelism(parallelism);
            idChunks.setParallelism(parallelism);
            files.setParallelism(parallelism);
        }
    }

    /**
     * Keys batches by source file: agent id and fingerprint (the key of every state version; the
     * task is a key within the state, see {@link LineDeduplicator}).
     */
    private static final class FileKey implements KeySelector<SourceBatch, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(SourceBatch b) {
            return b.fileKey();
        }
    }

    /** Keys lines with a client event id by (task, client, id). */
    private static final class EventIdKey implements KeySelector<EventIdLine, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(EventIdLine l) {
            return l.key();
        }
    }

    /** Operators spliced into the flow by tests; identity in production. */
    static final class Stages {
        static final Stages NONE = new Stages(UnaryOperator.identity(), UnaryOperator.identity());

        final UnaryOperator<DataStream<SourceBatch>> beforeDedup;
        final UnaryOperator<DataStream<OutputChunk>> beforeFiles;

        Stages(UnaryOperator<DataStream<SourceBatch>> beforeDedup, UnaryOperator<DataStream<OutputChunk>> beforeFiles) {
            this.beforeDedup = beforeDedup;
            this.beforeFiles = beforeFiles;
        }
    }
}
