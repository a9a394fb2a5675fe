package io.datastream.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datastream.protocol.CorruptBatchException;
import io.datastream.protocol.codec.CodecSet;
import io.datastream.protocol.envelope.Envelope;
import io.datastream.protocol.envelope.Line;
import io.datastream.protocol.envelope.LineIdentity;
import io.datastream.router.sim.EventClient;
import io.datastream.router.sim.Http;
import io.datastream.router.sim.KafkaRead;
import io.datastream.embedded.kafka.EmbeddedKafka;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Events over HTTP through a real router into a real Kafka broker (KRaft), read back as DSB1 envelopes. */
class HttpSourceKafkaIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static EmbeddedKafka kafka;
    private static Router router;
    private static EventClient client;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.builder().build().start();
        try (var admin = kafka.admin()) {
            admin.createTopics(List.of(new NewTopic("ds-events", 2, (short) 1), new NewTopic("http-jvm", 1, (short) 1),
                    new NewTopic("app-billing", 1, (short) 1))).all().get();
        }
        router = Router.start(RouterConfig.fromYaml("""
                id: http-it
                listen: {host: 127.0.0.1, port: 0}
                http: {host: 127.0.0.1, port: 0}
                drain: {timeoutMs: 5000}
                kafka:
                  bootstrapServers: "%s"
                  properties: {linger.ms: "2"}
                httpSource:
                  enabled: true
                  port: 0
                  limits: {maxBodyBytes: 65536, maxDecompressedBytes: 262144, maxEventsPerRequest: 1000, requestTimeoutMs: 1000}
                  channels:
                    - {name: events}
                    - {name: jvm, format: binary, task: jvm-events}
                    - {name: apps}
                  routes:
                    - {when: 'header.logType == "jvm"', channel: jvm}
                    - {when: 'header.app =~ "."', channel: apps}
                  sinks:
                    - {name: to-events, channel: events}
                    - {name: to-jvm, channel: jvm, topic: http-jvm, codec: zstd}
                    - {name: to-apps, channel: apps, topic: "app-{header.app}"}
                """.formatted(kafka.bootstrapServers())));
        client = new EventClient(router.eventsPort());
    }

    @AfterAll
    static void stop() {
        if (router != null) {
            router.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    /** An event read back from Kafka: its identity, headers and body. */
    record Read(LineIdentity identity, String task, String path, Map<String, String> headers, String body) {
    }

    static List<Read> read(String topic, int expected) {
        List<ConsumerRecord<byte[], Envelope>> records = KafkaRead.records(kafka.bootstrapServers(), topic,
                new io.datastream.protocol.envelope.EnvelopeDeserializer(), l -> lines(l).size() >= expected, WAIT);
        return lines(records);
    }

    static List<Read> lines(List<ConsumerRecord<byte[], Envelope>> records) {
        List<Read> out = new ArrayList<>();
        try (CodecSet codecs = new CodecSet()) {
            for (ConsumerRecord<byte[], Envelope> r : records) {
                assertThat(r.value().isCorrupt()).as("envelope %s", r.value().error()).isFalse();
                for (Line l : r.value().lines(codecs)) {
                    JsonNode n = JSON.readTree(l.content());
                    Map<String, String> headers = new LinkedHashMap<>();
                    n.get("headers").fields().forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
                    out.add(new Read(l.identity(), r.value().batch().taskId(), r.value().batch().path(), headers, n.get("body").asText()));
                }
            }
        } catch (CorruptBatchException | IOException e) {
            throw new AssertionError(e);
        }
        return out;
    }

    @Test
    void postedEventsReachKafkaAsEnvelopesWithUniqueIdentities() {
        Set<String> sent = new HashSet<>();
        for (int r = 0; r < 30; r++) {
            List<Map<String, String>> headers = new ArrayList<>();
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String body = "unique-" + r + "-" + i + " \\\"quoted\\\" \\u00e9";
                headers.add(Map.of("logType", "access", "n", Integer.toString(i)));
                bodies.add(body);
                sent.add("unique-" + r + "-" + i + " \"quoted\" \u00e9");
            }
            EventClient.Answer a = client.post(EventClient.jsonArray(headers, bodies));
            assertThat(a.status()).as(a.body()).isEqualTo(200);
            assertThat(a.body()).contains("\"accepted\":20");
        }
        // NDJSON and text/plain with headers from the query string
        String ndjson = EventClient.json(Map.of("logType", "nd"), "unique-nd-1") + "\n" + EventClient.json(Map.of(), "unique-nd-2") + "\n";
        assertThat(client.post(ndjson).status()).isEqualTo(200);
        EventClient.Answer text = client.post("/v1/events?logType=plain&team=a%20b", "unique-text-1\r\nunique-text-2\n\nunique-text-3\n"
                .getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "text/plain; charset=utf-8"));
        assertThat(text.status()).as(text.body()).isEqualTo(200);
        assertThat(text.body()).contains("\"accepted\":3");
        sent.addAll(List.of("unique-nd-1", "unique-nd-2", "unique-text-1", "unique-text-2", "unique-text-3"));

        List<Read> read = read("ds-events", sent.size());
        List<Read> mine = read.stream().filter(x -> x.body().startsWith("unique-")).toList();
        assertThat(mine).extracting(Read::body).containsExactlyInAnyOrderElementsOf(sent);
        // one identity per event, never repeated; the identity of a channel's events as the flink sink sees them
        assertThat(new HashSet<>(mine.stream().map(Read::identity).toList())).hasSize(mine.size());
        assertThat(mine).allSatisfy(x -> {
            assertThat(x.identity().agentId()).isEqualTo("router:http-it");
            assertThat(x.task()).isEqualTo("events");
            assertThat(x.path()).isEqualTo("http:events");
        });
        assertThat(mine.stream().map(x -> x.identity().fingerprint()).distinct()).hasSize(1);
        Read t = mine.stream().filter(x -> x.body().equals("unique-text-2")).findFirst().orElseThrow();
        assertThat(t.headers()).containsEntry("logType", "plain").containsEntry("team", "a b");
        assertThat(Http.metric(router.httpPort(), "ds_router_http_events_total")).isGreaterThanOrEqualTo(sent.size());
        assertThat(Http.metric(router.httpPort(), "ds_router_sink_events_total{sink=\"to-events\"}")).isGreaterThanOrEqualTo(sent.size());
        assertThat(Http.metric(router.httpPort(), "ds_router_channel_capacity_bytes{channel=\"events\"}")).isEqualTo(64 << 20);
    }

    @Test
    void headersRouteEventsIntoChannelsAndTopics() {
        List<Map<String, String>> headers = List.of(Map.of("logType", "jvm"), Map.of("logType", "web"), Map.of("app", "billing"),
                Map.of("logType", "jvm", "app", "billing"));
        List<String> bodies = List.of("route-jvm-1", "route-default-1", "route-app-1", "route-jvm-2");
        EventClient.Answer a = client.post(EventClient.jsonArray(headers, bodies));
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        assertThat(read("http-jvm", 2)).extracting(Read::body).containsExactlyInAnyOrder("route-jvm-1", "route-jvm-2");
        List<Read> jvm = read("http-jvm", 2);
        assertThat(jvm).allSatisfy(x -> assertThat(x.task()).isEqualTo("jvm-events"));
        assertThat(read("app-billing", 1)).extracting(Read::body).containsExactly("route-app-1");
        assertThat(read("ds-events", 1)).extracting(Read::body).contains("route-default-1");
        // a header giving an invalid topic name: the whole request is refused, with the event's index
        EventClient.Answer bad = client.post(EventClient.jsonArray(List.of(Map.of(), Map.of("app", "billing"), Map.of("app", "x/y")),
                List.of("a", "b", "c")));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("\"index\":2").contains("app-x/y");
    }

    @Test
    void badInputGetsAClearRefusalAndNothingElseIsAffected() throws Exception {
        EventClient.Answer malformed = client.post("[{\"headers\":{},\"body\":\"ok\"},{\"headers\":{\"a\":\"b\"},\"body\":\"x\"");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.body()).contains("\"error\":\"malformed\"").contains("\"index\":1");

        EventClient.Answer notString = client.post("[{\"body\":\"ok\"},{\"body\":\"ok\"},{\"headers\":{\"a\":1},\"body\":\"x\"}]");
        assertThat(notString.status()).isEqualTo(400);
        assertThat(notString.body()).contains("\"error\":\"bad_event\"").contains("\"index\":2").contains("must be a string");

        byte[] badUtf8 = "[{\"headers\":{\"k\":\"\u00ff\u00fe\"},\"body\":\"x\"}]".getBytes(StandardCharsets.ISO_8859_1);
        EventClient.Answer utf8 = client.post("/v1/events", badUtf8, Map.of("Content-Type", "application/json"));
        assertThat(utf8.status()).isEqualTo(400);
        assertThat(utf8.body()).contains("\"index\":0").containsIgnoringCase("utf-8");

        EventClient.Answer badQuery = client.post("/v1/events?k=%ff%fe", "line".getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "text/plain"));
        assertThat(badQuery.status()).isEqualTo(400);
        assertThat(badQuery.body()).contains("UTF-8");

        EventClient.Answer big = client.post("/v1/events", new byte[70_000], Map.of("Content-Type", "application/json"));
        assertThat(big.status()).isEqualTo(413);

        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 1001; i++) {
            many.append("{\"body\":\"\"}\n");
        }
        EventClient.Answer tooMany = client.post(many.toString());
        assertThat(tooMany.status()).isEqualTo(413);
        assertThat(tooMany.body()).contains("too_many_events").contains("\"index\":1000");

        // a decompression bomb: 50 KiB of gzip that expands to 50 MiB
        byte[] bomb = EventClient.gzip(new byte[50 << 20]);
        assertThat(bomb.length).isLessThan(65_536);
        EventClient.Answer bombed = client.post("/v1/events", bomb, Map.of("Content-Type", "application/json", "Content-Encoding", "gzip"));
        assertThat(bombed.status()).isEqualTo(413);
        assertThat(bombed.body()).contains("decompressed");

        EventClient.Answer corrupt = client.post("/v1/events", "not gzip at all".getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/json", "Content-Encoding", "gzip"));
        assertThat(corrupt.status()).isEqualTo(400);

        EventClient.Answer gz = client.post("/v1/events", EventClient.gzip(("[" + EventClient.json(Map.of(), "gzip-ok") + "]").getBytes(StandardCharsets.UTF_8)),
                Map.of("Content-Type", "application/json", "Content-Encoding", "gzip"));
        assertThat(gz.status()).as(gz.body()).isEqualTo(200);
        byte[] zstd = com.github.luben.zstd.Zstd.compress(("[" + EventClient.json(Map.of(), "zstd-ok") + "]").getBytes(StandardCharsets.UTF_8));
        EventClient.Answer zs = client.post("/v1/events", zstd, Map.of("Content-Type", "application/json", "Content-Encoding", "zstd"));
        assertThat(zs.status()).as(zs.body()).isEqualTo(200);

        assertThat(client.post("/v1/other", new byte[0], Map.of()).status()).isEqualTo(404);
        assertThat(client.post("/v1/events", "x".getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "image/png")).status()).isEqualTo(415);
        assertThat(client.post("/v1/events", "x".getBytes(StandardCharsets.UTF_8), Map.of("Content-Encoding", "br")).status()).isEqualTo(415);

        // a slow client: the request does not finish in requestTimeoutMs
        try (Socket s = new Socket("127.0.0.1", router.eventsPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write("POST /v1/events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n[{\"bo"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(readAll(s.getInputStream()), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 408").contains("\"error\":\"timeout\"");
        }

        // after all that, the source still works
        EventClient.Answer fine = client.post("[" + EventClient.json(Map.of(), "still-fine") + "]");
        assertThat(fine.status()).isEqualTo(200);
        assertThat(read("ds-events", 1)).extracting(Read::body).contains("gzip-ok", "zstd-ok", "still-fine");
        assertThat(Http.metric(router.httpPort(), "ds_router_http_refusals_total{reason=\"body_too_large\"}")).isGreaterThanOrEqualTo(2);
        assertThat(Http.metric(router.httpPort(), "ds_router_http_refusals_total{reason=\"timeout\"}")).isGreaterThanOrEqualTo(1);
        assertThat(Http.metric(router.httpPort(), "ds_router_http_refusals_total{reason=\"malformed\"}")).isGreaterThanOrEqualTo(2);
    }

    private static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    /**
     * Events with a client event id: the router stamps the client (loopback without tokens:
     * "local") and writes them in batches of their own marked ds.eventIds, so the Flink sink
     * identifies them by (task, client, id); events without one are unmarked. Ids the sink could
     * not tell apart within one request, ids over the limit and a client's own ds.client are refused.
     */
    @Test
    void clientEventIdsAreStampedWithTheClientAndMarkedInKafka() throws Exception {
        try (var admin = kafka.admin()) {
            admin.createTopics(List.of(new NewTopic("app-ids", 1, (short) 1))).all().get();
        }
        List<Map<String, String>> headers = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            headers.add(i % 3 == 0 ? Map.of("app", "ids") : Map.of("app", "ids", "ds.eventId", "id-" + i));
            bodies.add("with-id-" + i);
        }
        assertThat(client.post(EventClient.jsonArray(headers, bodies)).status()).isEqualTo(200);

        List<ConsumerRecord<byte[], Envelope>> records = KafkaRead.records(kafka.bootstrapServers(), "app-ids",
                new io.datastream.protocol.envelope.EnvelopeDeserializer(), l -> lines(l).size() >= 12, WAIT);
        int marked = 0;
        try (CodecSet codecs = new CodecSet()) {
            for (ConsumerRecord<byte[], Envelope> r : records) {
                boolean batchMarked = "v1".equals(r.value().batch().headers().get("ds.eventIds"));
                marked += batchMarked ? 1 : 0;
                for (Line l : r.value().lines(codecs)) {
                    JsonNode n = JSON.readTree(l.content());
                    JsonNode id = n.get("headers").get("ds.eventId");
                    assertThat(batchMarked).as("batch marked iff its events have ids: %s", n).isEqualTo(id != null);
                    if (id != null) {
                        assertThat(n.get("headers").get("ds.client").asText()).isEqualTo("local");
                        assertThat(n.get("body").asText()).isEqualTo("with-" + id.asText());
                    } else {
                        assertThat(n.get("headers").has("ds.client")).isFalse();
                    }
                }
            }
        }
        assertThat(marked).isPositive();
        assertThat(lines(records)).extracting(Read::body).containsExactlyInAnyOrderElementsOf(bodies);

        double before = Http.metric(router.httpPort(), "ds_router_http_refusals_total{reason=\"bad_event\"}");
        EventClient.Answer twice = client.post(EventClient.jsonArray(
                List.of(Map.of("app", "ids", "ds.eventId", "a"), Map.of("app", "ids", "ds.eventId", "a")), List.of("x", "y")));
        assertThat(twice.status()).isEqualTo(400);
        assertThat(twice.body()).contains("\"index\":1").contains("appears on two events");
        EventClient.Answer own = client.post(EventClient.jsonArray(List.of(Map.of("app", "ids", "ds.client", "someone-else")), List.of("x")));
        assertThat(own.status()).isEqualTo(400);
        assertThat(own.body()).contains("\"index\":0").contains("ds.client is set by the router");
        EventClient.Answer tooLong = client.post(EventClient.jsonArray(List.of(Map.of("app", "ids"), Map.of("app", "ids", "ds.eventId", "i".repeat(129))),
                List.of("x", "y")));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.body()).contains("\"index\":1").contains("over the limit of 128");
        EventClient.Answer empty = client.post(EventClient.jsonArray(List.of(Map.of("app", "ids", "ds.eventId", "")), List.of("x")));
        assertThat(empty.status()).isEqualTo(400);
        EventClient.Answer text = client.post("/v1/events?app=ids&ds.eventId=same", "one\ntwo\n".getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "text/plain"));
        assertThat(text.status()).as("one id on every line of a text/plain request").isEqualTo(400);
        assertThat(Http.metric(router.httpPort(), "ds_router_http_refusals_total{reason=\"bad_event\"}")).isEqualTo(before + 5);
    }

}
