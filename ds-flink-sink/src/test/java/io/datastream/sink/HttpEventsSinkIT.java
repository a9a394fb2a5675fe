package io.datastream.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datastream.router.Router;
import io.datastream.router.RouterConfig;
import io.datastream.sink.config.SinkConfig;
import io.datastream.sink.testing.JobCounters;
import io.datastream.sink.testing.KafkaTestData;
import io.datastream.sink.testing.OutputFiles;
import io.datastream.embedded.kafka.EmbeddedKafka;
import io.datastream.protocol.batch.Batch;
import io.datastream.protocol.batch.BatchBuilder;
import io.datastream.protocol.batch.BatchSource;
import io.datastream.protocol.codec.CodecSet;
import io.datastream.protocol.codec.CodecType;
import io.datastream.protocol.envelope.Envelope;
import io.datastream.protocol.envelope.Line;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Events posted to a real router's HTTP source land in Kafka as DSB1 envelopes that this job
 * reads unchanged; every record is then written to the topic a second time (as a sink re-send
 * would), and the job's files still hold every event exactly once.
 */
class HttpEventsSinkIT {
    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(() -> new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).setConfiguration(METRICS.addToConfiguration(new Configuration())).build());

    @TempDir
    Path dir;

    @Test
    void httpEventsAreWrittenExactlyOnceByTheJob() throws Exception {
        String topic = "http-events";
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().build().start()) {
            kafka.createTopic(topic, 2);
            List<String> bodies = new ArrayList<>();
            try (Router router = Router.start(RouterConfig.fromYaml("""
                    id: sink-it
                    listen: {host: 127.0.0.1, port: 0}
                    http: {host: 127.0.0.1, port: 0}
                    drain: {timeoutMs: 5000}
                    kafka: {bootstrapServers: "%s", properties: {linger.ms: "2"}}
                    httpSource:
                      enabled: true
                      port: 0
                      channels: [{name: events, task: sdk}]
                      sinks: [{name: k, channel: events, topic: %s, partitioner: round-robin}]
                    """.formatted(kafka.bootstrapServers(), topic)))) {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                for (int r = 0; r < 40; r++) {
                    StringBuilder b = new StringBuilder();
                    for (int i = 0; i < 25; i++) {
                        String body = "event " + r + "/" + i + " \\\"q\\\"";
                        bodies.add("event " + r + "/" + i + " \"q\"");
                        b.append("{\"headers\":{\"n\":\"").append(i).append("\"},\"body\":\"").append(body).append("\"}\n");
                    }
                    HttpResponse<String> res = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + router.eventsPort() + "/v1/events"))
                            .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(b.toString())).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
                }
            }
            // every record once more, as a re-sending sink would write it: same identities
            List<byte[]> values = readAll(kafka.bootstrapServers(), topic);
            assertThat(values).isNotEmpty();
            try (KafkaTestData data = new KafkaTestData(kafka.bootstrapServers())) {
                data.sendAll(topic, values, 2);
            }

            runJob(kafka.bootstrapServers(), topic, "group-http");

            ObjectMapper json = new ObjectMapper();
            Map<String, Integer> counts = new HashMap<>();
            for (String line : OutputFiles.texts(dir.resolve("out"), ".zst")) {
                JsonNode n = json.readTree(line);
                counts.merge(n.get("body").asText(), 1, Integer::sum);
            }
            assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(bodies);
            assertThat(counts.values()).allMatch(c -> c == 1);
            assertThat(OutputFiles.lines(dir.resolve("out"), ".zst")).allSatisfy(l -> assertThat(l.bucket()).startsWith("sdk/"));
        }
    }

    /**
     * Client event ids end to end: a client posts the same request twice, and re-sends a request
     * that was answered 503 (not safe in time: Kafka was down) once Kafka is back; both copies of
     * each event reach Kafka as different intake events, and the job writes each once, counting
     * the re-sends as duplicates by event id. Ids are scoped per client: two clients (tokens)
     * sending the same ids with different bodies both get every event written. Events without an
     * id posted twice are two events each (their identity is the intake's).
     */
    @Test
    void aClientsReSendsAreWrittenOnceAndTwoClientsIdsNeverMerge() throws Exception {
        String topic = "http-ids";
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().build().start()) {
            kafka.createTopic(topic, 2);
            Map<String, Integer> expected = new HashMap<>();
            try (Router router = Router.start(RouterConfig.fromYaml("""
                    id: sink-ids
                    listen: {host: 127.0.0.1, port: 0}
                    http: {host: 127.0.0.1, port: 0}
                    drain: {timeoutMs: 5000}
                    kafka:
                      bootstrapServers: "%s"
                      properties: {linger.ms: "2", delivery.timeout.ms: "6000", request.timeout.ms: "2000", max.block.ms: "3000",
                                   reconnect.backoff.max.ms: "500"}
                    httpSource:
                      enabled: true
                      port: 0
                      limits: {ackTimeoutMs: 1500}
                      tokens:
                        - {token: "token-of-app-a", client: app-a}
                        - {token: "token-of-app-b"}
                      channels: [{name: events, task: sdk}]
                      sinks: [{name: k, channel: events, topic: %s, partitioner: round-robin}]
                    """.formatted(kafka.bootstrapServers(), topic)))) {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                URI uri = URI.create("http://127.0.0.1:" + router.eventsPort() + "/v1/events");
                // the same ids from two clients, different events: both written
                String a = ids("app-a", 0, 20, expected);
                String b = ids("app-b", 0, 20, expected);
                assertThat(post(client, uri, "token-of-app-a", a).statusCode()).isEqualTo(200);
                assertThat(post(client, uri, "token-of-app-a", a).statusCode()).as("the same request again").isEqualTo(200);
                assertThat(post(client, uri, "token-of-app-b", b).statusCode()).isEqualTo(200);
                // other ids of the same client: other events
                assertThat(post(client, uri, "token-of-app-a", ids("app-a", 20, 40, expected)).statusCode()).isEqualTo(200);
                // no id: the same request twice is two events each
                StringBuilder noId = new StringBuilder();
                for (int i = 0; i < 5; i++) {
                    noId.append("{\"body\":\"no id ").append(i).append("\"}\n");
                    expected.put("no id " + i, 2);
                }
                assertThat(post(client, uri, "token-of-app-a", noId.toString()).statusCode()).isEqualTo(200);
                assertThat(post(client, uri, "token-of-app-a", noId.toString()).statusCode()).isEqualTo(200);
                // a 503 while Kafka is down, and the client's retry once it is back
                String retried = ids("app-a", 100, 110, expected);
                kafka.stop();
                HttpResponse<String> notSafe = post(client, uri, "token-of-app-a", retried);
                assertThat(notSafe.statusCode()).as(notSafe.body()).isEqualTo(503);
                assertThat(notSafe.body()).contains("not_safe_in_time");
                kafka.start();
                HttpResponse<String> retry = post(client, uri, "token-of-app-a", retried);
                assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
            }
            // both copies of the re-sent events are in Kafka (the job must drop one of each)
            ObjectMapper json = new ObjectMapper();
            Map<String, Integer> inKafka = new HashMap<>();
            try (CodecSet codecs = new CodecSet()) {
                for (byte[] v : readAll(kafka.bootstrapServers(), topic)) {
                    for (Line l : Envelope.parse(v).lines(codecs)) {
                        inKafka.merge(json.readTree(l.content()).get("body").asText(), 1, Integer::sum);
                    }
                }
            }
            assertThat(inKafka.get("app-a event 0")).isEqualTo(2);
            assertThat(inKafka.get("app-a event 105")).isEqualTo(2);

            JobID job = runJob(kafka.bootstrapServers(), topic, "group-ids");

            Map<String, Integer> counts = new HashMap<>();
            for (String line : OutputFiles.texts(dir.resolve("out"), ".zst")) {
                JsonNode n = json.readTree(line);
                String body = n.get("body").asText();
                counts.merge(body, 1, Integer::sum);
                JsonNode client = n.get("headers").get("ds.client");
                if (body.startsWith("app-a")) {
                    assertThat(client.asText()).as(line).isEqualTo("app-a");
                } else if (body.startsWith("app-b")) {
                    assertThat(client.asText()).as("the default client name of a token: %s", line).matches("token-[0-9a-f]{12}");
                } else {
                    assertThat(client).as("no id, no client: %s", line).isNull();
                }
            }
            assertThat(counts).isEqualTo(expected);
            assertThat(JobCounters.sum(METRICS, job, "ds_sink_lines_duplicate_event_id_total")).isEqualTo(30);
            assertThat(JobCounters.sumForTask(METRICS, job, "ds_sink_task_lines_duplicate_event_id_total", "sdk")).isEqualTo(30);
            assertThat(JobCounters.sum(METRICS, job, "ds_sink_event_id_unreadable_total")).isZero();
        }
    }

    /** NDJSON of events {@code from..to} of {@code client}, each with id {@code <n>}; each expected once. */
    private static String ids(String client, int from, int to, Map<String, Integer> expected) {
        StringBuilder b = new StringBuilder();
        for (int i = from; i < to; i++) {
            String body = client + " event " + i;
            b.append("{\"headers\":{\"ds.eventId\":\"").append(i).append("\"},\"body\":\"").append(body).append("\"}\n");
            expected.put(body, 1);
        }
        return b.toString();
    }

    private static HttpResponse<String> post(HttpClient client, URI uri, String token, String ndjson) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/x-ndjson").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(ndjson)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Runs the sink job over {@code topic} to its end (bounded), writing into {@code dir/out}; its id. */
    private JobID runJob(String bootstrap, String topic, String group) throws Exception {
        SinkConfig cfg = SinkConfig.parse(String.join("\n",
                "kafka:",
                "  bootstrapServers: " + bootstrap,
                "  topics: [" + topic + "]",
                "  groupId: " + group,
                "  startingOffsets: committed-or-earliest",
                "  bounded: true",
                "output:",
                "  path: " + dir.resolve("out").toUri(),
                "deadLetter:",
                "  path: " + dir.resolve("dead").toUri(),
                "job:",
                "  parallelism: 2",
                "  checkpointInterval: 500ms",
                "  checkpointDir: " + dir.resolve("checkpoints").toUri(),
                ""));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        SinkJob.configureEnvironment(env, cfg);
        SinkJob.define(env, cfg);
        JobClient job = env.executeAsync(cfg.job().name());
        job.getJobExecutionResult().get(120, TimeUnit.SECONDS);
        return job.getJobID();
    }

    /**
     * A shaped channel: each Kafka record holds events of one logType, across interleaved
     * events, records' gaps stepping over the other groups' positions. Every record is then
     * written again as is, and every event once more as the router's sink writes an event again
     * after a failed write (unshaped: a batch of one record, gap 1, same identity), after the
     * record it came in and in the same partition: the job's files hold every event exactly once.
     */
    @Test
    void shapedRecordsAndTheirUnshapedReplaysAreWrittenExactlyOnce() throws Exception {
        String topic = "http-shaped";
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().build().start()) {
            kafka.createTopic(topic, 2);
            List<String> bodies = new ArrayList<>();
            String[] types = {"access", "error", "audit"};
            try (Router router = Router.start(RouterConfig.fromYaml("""
                    id: sink-shaped
                    listen: {host: 127.0.0.1, port: 0}
                    http: {host: 127.0.0.1, port: 0}
                    drain: {timeoutMs: 5000}
                    kafka: {bootstrapServers: "%s", properties: {linger.ms: "2"}}
                    httpSource:
                      enabled: true
                      port: 0
                      channels: [{name: events, task: sdk, shape: {groupBy: logType, targetBytes: 4096, maxDelayMs: 100}}]
                      sinks: [{name: k, channel: events, topic: %s}]
                    """.formatted(kafka.bootstrapServers(), topic)))) {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                for (int r = 0; r < 30; r++) {
                    StringBuilder b = new StringBuilder();
                    for (int i = 0; i < 30; i++) {
                        String body = "shaped " + r + "/" + i + " " + "y".repeat((r * 31 + i * 17) % 300);
                        bodies.add(body);
                        b.append("{\"headers\":{\"logType\":\"").append(types[(r + i * i) % 3]).append("\"},\"body\":\"").append(body).append("\"}\n");
                    }
                    HttpResponse<String> res = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + router.eventsPort() + "/v1/events"))
                            .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(b.toString())).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
                }
            }
            List<ConsumerRecord<byte[], byte[]>> records = readRecords(kafka.bootstrapServers(), topic);
            int shaped = 0;
            try (KafkaTestData data = new KafkaTestData(kafka.bootstrapServers());
                 CodecSet codecs = new CodecSet();
                 BatchBuilder builder = new BatchBuilder(ByteBufAllocator.DEFAULT, 1 << 20, 16)) {
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    data.send(topic, r.partition(), r.value());
                }
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    Envelope e = Envelope.parse(r.value());
                    Batch h = e.batch();
                    List<Line> lines = e.lines(codecs);
                    Line first = lines.get(0);
                    shaped += lines.size() > 1 && first.nextOffset() - first.offset() - first.content().length > 1 ? 1 : 0;
                    BatchSource source = new BatchSource(h.taskId(), h.agentId(), h.host(), h.path(), h.fingerprint(), Map.of());
                    for (Line l : lines) {
                        builder.begin(source, l.offset());
                        builder.tryAppend(l.content(), 0, l.content().length, 1, 0);
                        ByteBuf b = builder.finish(codecs.get(CodecType.LZ4));
                        try {
                            data.send(topic, r.partition(), ByteBufUtil.getBytes(b));
                        } finally {
                            b.release();
                        }
                    }
                }
                data.flush();
            }
            assertThat(shaped).as("records whose events are not consecutive in the channel").isPositive();

            runJob(kafka.bootstrapServers(), topic, "group-shaped");

            ObjectMapper json = new ObjectMapper();
            Map<String, Integer> counts = new HashMap<>();
            for (String line : OutputFiles.texts(dir.resolve("out"), ".zst")) {
                JsonNode n = json.readTree(line);
                counts.merge(n.get("body").asText(), 1, Integer::sum);
            }
            assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(bodies);
            assertThat(counts.values()).allMatch(c -> c == 1);
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> readRecords(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    private static List<byte[]> readAll(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<byte[]> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    out.add(r.value());
                }
            }
        }
        return out;
    }
}
