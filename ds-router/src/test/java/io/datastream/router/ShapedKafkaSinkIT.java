package io.datastream.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datastream.embedded.kafka.EmbeddedKafka;
import io.datastream.protocol.codec.CodecSet;
import io.datastream.protocol.envelope.Envelope;
import io.datastream.protocol.envelope.EnvelopeDeserializer;
import io.datastream.protocol.envelope.Line;
import io.datastream.router.sim.EventClient;
import io.datastream.router.sim.Http;
import io.datastream.router.sim.KafkaRead;
import io.datastream.router.sink.EventIdentity;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * A shaped channel (groupBy logType) into a real broker, with Kafka stopped in the middle: every
 * Kafka record holds events of one logType, at most targetBytes of them; the events written again
 * after the outage are dropped by the Flink sink's rule (a line whose range is covered by what was
 * delivered), modelled here per file, in partition order: every accepted event is kept exactly
 * once and no range ever overlaps another one partly.
 */
class ShapedKafkaSinkIT {
    private static final String[] TYPES = {"access", "error", "audit", "metric"};
    private static final int TARGET = 16384;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static byte[] request(Random random, String prefix, int r, List<String> bodies) {
        List<Map<String, String>> headers = new ArrayList<>();
        List<String> b = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            headers.add(Map.of("logType", TYPES[random.nextInt(TYPES.length)]));
            b.add(prefix + "-" + r + "-" + i + "-" + "x".repeat(random.nextInt(600)));
        }
        bodies.addAll(b);
        return EventClient.jsonArray(headers, b).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void eachRecordHoldsOneGroupAndEveryAcceptedEventIsKeptOnceAfterAnOutage() throws Exception {
        Random random = new Random(16);
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().build().start()) {
            kafka.createTopic("ds-shaped", 2);
            String yaml = """
                    id: shaped
                    listen: {host: 127.0.0.1, port: 0}
                    http: {host: 127.0.0.1, port: 0}
                    drain: {timeoutMs: 5000}
                    kafka:
                      bootstrapServers: "%s"
                      properties:
                        linger.ms: "2"
                        delivery.timeout.ms: "6000"
                        request.timeout.ms: "2000"
                        max.block.ms: "3000"
                        reconnect.backoff.max.ms: "500"
                    httpSource:
                      enabled: true
                      port: 0
                      limits: {ackTimeoutMs: 120000}
                      channels: [{name: events, capacityBytes: 4194304, shape: {groupBy: logType, targetBytes: %d, maxDelayMs: 200}}]
                      sinks: [{name: k, channel: events, topic: ds-shaped}]
                    """.formatted(kafka.bootstrapServers(), TARGET);
            Map<Integer, List<String>> bodiesOf = new HashMap<>();
            List<CompletableFuture<EventClient.Answer>> answers = new ArrayList<>();
            Map<String, String> json = Map.of("Content-Type", "application/json");
            Set<String> ok = new HashSet<>();
            try (Router router = Router.start(RouterConfig.fromYaml(yaml))) {
                EventClient client = new EventClient(router.eventsPort());
                for (int r = 0; r < 30; r++) {
                    List<String> bodies = new ArrayList<>();
                    bodiesOf.put(r, bodies);
                    answers.add(CompletableFuture.completedFuture(client.post("/v1/events", request(random, "before", r, bodies), json)));
                }
                assertThat(answers).allSatisfy(a -> assertThat(a.join().status()).isEqualTo(200));
                kafka.stop();
                for (int r = 30; r < 130; r++) {
                    List<String> bodies = new ArrayList<>();
                    bodiesOf.put(r, bodies);
                    answers.add(client.async("/v1/events", request(random, "during", r, bodies), json));
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> Http.metric(router.httpPort(), "ds_router_sink_failures_total{sink=\"k\"}") > 0);
                kafka.start();
                await().atMost(Duration.ofSeconds(120)).until(() -> answers.stream().allMatch(CompletableFuture::isDone));
                for (int r = 130; r < 140; r++) {
                    List<String> bodies = new ArrayList<>();
                    bodiesOf.put(r, bodies);
                    answers.add(CompletableFuture.completedFuture(client.post("/v1/events", request(random, "after", r, bodies), json)));
                }
                for (int r = 0; r < answers.size(); r++) {
                    EventClient.Answer a = answers.get(r).join();
                    assertThat(a.status()).as(a.body()).isIn(200, 429);
                    if (a.status() == 200) {
                        ok.addAll(bodiesOf.get(r));
                    }
                }
                assertThat(answers.get(answers.size() - 1).join().status()).isEqualTo(200);

                List<ConsumerRecord<byte[], Envelope>> records = new ArrayList<>(KafkaRead.records(kafka.bootstrapServers(), "ds-shaped",
                        new EnvelopeDeserializer(), l -> bodies(l).containsAll(ok), Duration.ofSeconds(120)));
                records.sort(Comparator.comparingInt((ConsumerRecord<byte[], Envelope> c) -> c.partition()).thenComparingLong(ConsumerRecord::offset));
                long[] fingerprints = new long[TYPES.length];
                for (int t = 0; t < TYPES.length; t++) {
                    fingerprints[t] = EventIdentity.groupFingerprint("shaped", router.eventPipeline().incarnation(), "events", "ds-shaped", TYPES[t]);
                }

                Map<Long, Integer> partitionOf = new HashMap<>();
                Map<Long, TreeMap<Long, Long>> delivered = new HashMap<>();
                Map<String, Integer> kept = new HashMap<>();
                int multi = 0;
                int dropped = 0;
                try (CodecSet codecs = new CodecSet()) {
                    for (ConsumerRecord<byte[], Envelope> r : records) {
                        assertThat(r.value().isCorrupt()).isFalse();
                        long fp = r.value().batch().fingerprint();
                        assertThat(partitionOf.computeIfAbsent(fp, k -> r.partition())).as("one partition per group").isEqualTo(r.partition());
                        List<Line> lines = r.value().lines(codecs);
                        multi += lines.size() > 1 ? 1 : 0;
                        String type = null;
                        int content = 0;
                        for (Line l : lines) {
                            JsonNode n = JSON.readTree(l.content());
                            String t = n.get("headers").get("logType").asText();
                            assertThat(type == null || type.equals(t)).as("one logType per record").isTrue();
                            type = t;
                            content += l.content().length;
                            TreeMap<Long, Long> ranges = delivered.computeIfAbsent(fp, k -> new TreeMap<>());
                            if (covered(ranges, l.offset(), l.nextOffset())) {
                                dropped++;
                                continue;
                            }
                            assertThat(intersects(ranges, l.offset(), l.nextOffset())).as("range [%d, %d) partly delivered", l.offset(), l.nextOffset())
                                    .isFalse();
                            ranges.put(l.offset(), l.nextOffset());
                            kept.merge(n.get("body").asText(), 1, Integer::sum);
                        }
                        assertThat(fp).isEqualTo(fingerprints[List.of(TYPES).indexOf(type)]);
                        assertThat(lines.size() == 1 || content <= TARGET).as("record of %d bytes of events", content).isTrue();
                    }
                }
                assertThat(kept.keySet()).containsAll(ok);
                assertThat(kept.values()).allMatch(c -> c == 1);
                assertThat(multi).as("records of several events").isGreaterThan(records.size() / 4);
                System.out.printf("shaped: %d records (%d of several events), %d events kept, %d copies dropped by range%n", records.size(), multi,
                        kept.size(), dropped);
            }
        }
    }

    private static Set<String> bodies(List<ConsumerRecord<byte[], Envelope>> records) {
        Set<String> out = new HashSet<>();
        for (HttpSourceKafkaIT.Read r : HttpSourceKafkaIT.lines(records)) {
            out.add(r.body());
        }
        return out;
    }

    /** Whether one delivered range [start, end) holds [from, to) (the ranges are kept merged). */
    private static boolean covered(TreeMap<Long, Long> ranges, long from, long to) {
        Map.Entry<Long, Long> e = ranges.floorEntry(from);
        return e != null && e.getValue() >= to;
    }

    private static boolean intersects(TreeMap<Long, Long> ranges, long from, long to) {
        Map.Entry<Long, Long> e = ranges.floorEntry(from);
        if (e != null && e.getValue() > from) {
            return true;
        }
        Map.Entry<Long, Long> next = ranges.higherEntry(from);
        return next != null && next.getKey() < to;
    }
}
