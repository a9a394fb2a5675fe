package io.datastream.sink.config;

/**
 * Every configuration key of the sink, defined once: its dotted YAML path, value type, default
 * (parsed exactly like a user's value) and meaning. The loader reads keys from here and
 * {@link #referenceTable()} renders the reference in docs/sink.md.
 */
public enum SinkConfigKey {
    KAFKA_BOOTSTRAP_SERVERS("kafka.bootstrapServers", Type.STRING, "localhost:9092",
            "Kafka bootstrap servers, comma-separated host:port."),
    KAFKA_TOPICS("kafka.topics", Type.LIST, "",
            "Topics to read, e.g. `[ds-web, ds-app]`. When set, kafka.topicPattern must not be set. Only envelope-mode topics: a lines-mode topic's records are all dead letters here."),
    KAFKA_TOPIC_PATTERN("kafka.topicPattern", Type.STRING, "ds-.*",
            "Java regex of the topics to read when kafka.topics is empty; new matching topics are picked up at each partition discovery."),
    KAFKA_GROUP_ID("kafka.groupId", Type.STRING, "ds-flink-sink",
            "Consumer group. Offsets are committed to it on every completed checkpoint (for lag monitoring and committed-* starts), never used for exactly-once."),
    KAFKA_STARTING_OFFSETS("kafka.startingOffsets", Type.ENUM, "committed-or-earliest",
            "Where to start without a checkpoint: committed-or-earliest, committed-or-latest, earliest or latest. A restore from a checkpoint or savepoint always uses the offsets in it."),
    KAFKA_PARTITION_DISCOVERY_INTERVAL("kafka.partitionDiscoveryInterval", Type.DURATION, "1m",
            "How often new partitions and topics matching the pattern are discovered; 0 disables discovery."),
    KAFKA_BOUNDED("kafka.bounded", Type.BOOLEAN, "false",
            "true: stop at the latest offsets found at start (a backfill); the job then finishes after its final checkpoint."),
    KAFKA_PROPERTIES("kafka.properties", Type.MAP, "",
            "Extra Kafka consumer properties (security, fetch sizes...). bootstrap.servers, group.id and the deserializers are set by the keys above and rejected here."),

    OUTPUT_PATH("output.path", Type.STRING, "file:///tmp/datastream/sink/out",
            "Base directory of the output on any Flink file system: file://, hdfs://namenode:8020/..., s3://bucket/..."),
    OUTPUT_COMPRESSION("output.compression", Type.ENUM, "zstd",
            "zstd (files end in .zst, read with zstd -dc) or gzip (.gz, read with zcat)."),
    OUTPUT_COMPRESSION_LEVEL("output.compressionLevel", Type.INT, null,
            "Compression level: zstd 1..19 (default 1), gzip 1..9 (default 6). zstd 6 makes files about 14% smaller at about 40% of the throughput (docs/benchmarks.md#sink)."),
    OUTPUT_FORMAT("output.format", Type.ENUM, "raw",
            "raw: each line byte for byte, then a newline. tsv: host, path, offset, line separated by tabs. json: a JSON object with task, agent, host, path and offset, a tab, then the line."),
    OUTPUT_BUCKET_PATTERN("output.bucketPattern", Type.STRING, "'dt='yyyy-MM-dd/'hour='HH",
            "java.time DateTimeFormatter pattern of the time part of a bucket directory, applied to each line's event time (its read time when it has none); the full bucket is `<task>/<pattern>`."),
    OUTPUT_TIME_ZONE("output.timeZone", Type.STRING, "UTC",
            "Time zone of the bucket pattern (a java.time ZoneId such as UTC or Asia/Shanghai)."),
    OUTPUT_MAX_PART_SIZE("output.maxPartSize", Type.SIZE, "128MB",
            "A part file is finished early once it holds this many compressed bytes; otherwise it is finished at the next checkpoint."),
    OUTPUT_PART_PREFIX("output.partPrefix", Type.STRING, "part",
            "File name prefix of part files (letters, digits, '.', '_', '-'; not starting with '.' or '_')."),

    DEAD_LETTER_PATH("deadLetter.path", Type.STRING, "file:///tmp/datastream/sink/dead-letters",
            "Base directory of dead letters: records that are not valid envelopes, as JSON lines under dt=YYYY-MM-DD/ (UTC, processing time)."),

    DEDUP_TTL("dedup.ttl", Type.DURATION, "7d",
            "How long a task's delivered byte ranges of a file are kept after the task's last batch of the file arrived. A re-send that arrives later than this is written again (a duplicate)."),
    DEDUP_MAX_RANGES_PER_FILE("dedup.maxRangesPerFile", Type.INT, "10000",
            "Most disjoint delivered ranges kept per file and task; beyond it the lowest ranges are forgotten (counted), so only re-sends of that old data could be duplicated."),
    DEDUP_EVENT_ID_TTL("dedup.eventIdTtl", Type.DURATION, "1h",
            "How long a client event id (header ds.eventId of the router's HTTP events) is remembered after its event was first written (processing time at the sink). A client's re-send processed within it is dropped; one processed later is written again. The state holds every id written within this time."),

    JOB_NAME("job.name", Type.STRING, "ds-flink-sink",
            "Flink job name."),
    JOB_PARALLELISM("job.parallelism", Type.INT, "0",
            "Parallelism of every operator; 0 uses the environment's default (flink run -p, parallelism.default)."),
    JOB_CHECKPOINT_INTERVAL("job.checkpointInterval", Type.DURATION, "5s",
            "Checkpoint interval set by SinkJob.configureEnvironment (flink run and standalone). Files become visible and Kafka offsets are committed at each checkpoint."),
    JOB_CHECKPOINT_DIR("job.checkpointDir", Type.STRING, null,
            "Durable checkpoint directory (e.g. hdfs:///flink/checkpoints/ds-sink); unset keeps the cluster's setting (execution.checkpointing.dir).");

    /** How a key's value is written in YAML. */
    public enum Type {
        STRING, INT, BOOLEAN, DURATION, SIZE, ENUM, LIST, MAP
    }

    private final String key;
    private final Type type;
    private final String defaultValue;
    private final String description;

    SinkConfigKey(String key, Type type, String defaultValue, String description) {
        this.key = key;
        this.type = type;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    /** The dotted path, e.g. {@code output.compression}. */
    public String key() {
        return key;
    }

    public Type type() {
        return type;
    }

    /** The default as YAML text, or null when the key is unset by default. */
    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    /** {@code value} trimmed; a {@link ConfigException} naming this key when it is null or blank. */
    String requireText(String value) {
        if (value == null || value.isBlank()) {
            throw new ConfigException(key, "must not be empty");
        }
        return value.trim();
    }

    /** The key for a dotted path, or null. */
    public static SinkConfigKey of(String dotted) {
        for (SinkConfigKey k : values()) {
            if (k.key.equals(dotted)) {
                return k;
            }
        }
        return null;
    }

    /** A Markdown table of every key: key, type, default, meaning. */
    public static String referenceTable() {
        StringBuilder sb = new StringBuilder();
        sb.append("| key | type | default | meaning |\n|---|---|---|---|\n");
        for (SinkConfigKey k : values()) {
            String def = k.defaultValue == null ? "(unset)" : k.defaultValue.isEmpty() ? "(empty)" : "`" + k.defaultValue + "`";
            sb.append("| `").append(k.key).append("` | ").append(k.type.name().toLowerCase(java.util.Locale.ROOT))
                    .append(" | ").append(def).append(" | ").append(k.description.replace("|", "\\|")).append(" |\n");
        }
        return sb.toString();
    }
}
