package io.datastream.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.datastream.protocol.envelope.LineIdentity;
import io.datastream.router.sim.EventClient;
import io.datastream.router.sim.Http;
import io.datastream.embedded.kafka.EmbeddedKafka;
import io.datastream.protocol.report.MinuteLedger;
import io.datastream.protocol.report.ReasonKind;
import io.datastream.protocol.report.ReportCount;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Kafka stops in the middle of a stream of HTTP events: the channel fills, new requests get 429
 * with Retry-After, requests already accepted wait; Kafka comes back and every event that got a
 * 200 is in Kafka, each identity with one content.
 */
class HttpSourceOutageIT {
    private static final int EVENTS_PER_REQUEST = 20;

    private static byte[] request(String prefix, int r, List<String> bodies) {
        List<Map<String, String>> headers = new ArrayList<>();
        List<String> b = new ArrayList<>();
        for (int i = 0; i < EVENTS_PER_REQUEST; i++) {
            headers.add(Map.of("logType", "outage"));
            b.add(prefix + "-" + r + "-" + i + "-" + "x".repeat(300));
        }
        bodies.addAll(b);
        return EventClient.jsonArray(headers, b).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void kafkaDownMeans429sThenEverythingThatGot200IsDelivered() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().build().start()) {
            kafka.createTopic("ds-events", 2);
            String yaml = """
                    id: outage
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
                    reports: {controlUrl: "http://127.0.0.1:%d", windowMinutes: 60}
                    httpSource:
                      enabled: true
                      port: 0
                      limits: {ackTimeoutMs: 120000}
                      channels: [{name: events, capacityBytes: 1048576, task: shop}]
                    """.formatted(kafka.bootstrapServers(), io.datastream.testkit.net.FreePorts.next());
            Map<Integer, List<String>> bodiesOf = new HashMap<>();
            List<CompletableFuture<EventClient.Answer>> answers = new ArrayList<>();
            try (Router router = Router.start(RouterConfig.fromYaml(yaml))) {
                EventClient client = new EventClient(router.eventsPort());
                Map<String, String> json = Map.of("Content-Type", "application/json");
                for (int r = 0; r < 20; r++) {
                    List<String> bodies = new ArrayList<>();
                    bodiesOf.put(r, bodies);
                    answers.add(CompletableFuture.completedFuture(client.post("/v1/events", request("before", r, bodies), json)));
                }
                assertThat(answers).allSatisfy(a -> assertThat(a.join().status()).isEqualTo(200));

                kafka.stop();
                for (int r = 20; r < 320; r++) {
                    List<String> bodies = new ArrayList<>();
                    bodiesOf.put(r, bodies);
                    answers.add(client.async("/v1/events", request("during", r, bodies), json));
                }
                // the channel fills up to its capacity, never beyond, and new requests are refused with 429
                await().atMost(Duration.ofSeconds(60)).until(() -> answers.stream().anyMatch(a -> a.isDone() && a.join().status() == 429));
                EventClient.Answer full = answers.stream().filter(a -> a.isDone() && a.join().status() == 429).findFirst().orElseThrow().join();
                assertThat(full.retryAfter()).isEqualTo("1");
                assertThat(full.body()).contains("channel_full");
                assertThat(Http.metric(router.httpPort(), "ds_router_channel_used_bytes{channel=\"events\"}")).isLessThanOrEqualTo(1 << 20);
                assertThat(Http.metric(router.httpPort(), "ds_router_sink_lag_events{sink=\"kafka-events\"}")).isGreaterThan(0);
                // past the delivery timeout Kafka's failures come back: the sink rewinds and writes again (same identities)
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> Http.metric(router.httpPort(), "ds_router_sink_failures_total{sink=\"kafka-events\"}") > 0);

                kafka.start();
                await().atMost(Duration.ofSeconds(120)).until(() -> answers.stream().allMatch(CompletableFuture::isDone));
                for (int r = 320; r < 330; r++) { // and it goes on
                    List<String> bodies = new ArrayList<>();
                    bodiesOf.put(r, bodies);
                    answers.add(CompletableFuture.completedFuture(client.post("/v1/events", request("after", r, bodies), json)));
                }
                Set<String> ok = new HashSet<>();
                int refused = 0;
                for (int r = 0; r < answers.size(); r++) {
                    EventClient.Answer a = answers.get(r).join();
                    assertThat(a.status()).as(a.body()).isIn(200, 429);
                    if (a.status() == 200) {
                        ok.addAll(bodiesOf.get(r));
                    } else {
                        refused++;
                    }
                }
                assertThat(refused).isPositive();
                assertThat(answers.get(answers.size() - 1).join().status()).isEqualTo(200);
                System.out.printf("outage: %d requests, %d refused with 429, %d events accepted%n", answers.size(), refused, ok.size());

                List<HttpSourceKafkaIT.Read> read = readAll(kafka, ok);
                Map<LineIdentity, String> bodyOf = new HashMap<>();
                for (HttpSourceKafkaIT.Read x : read) {
                    String prev = bodyOf.putIfAbsent(x.identity(), x.body());
                    assertThat(prev == null || prev.equals(x.body())).as("identity %s has one content", x.identity()).isTrue();
                }
                Set<String> inKafka = new HashSet<>(bodyOf.values());
                assertThat(inKafka).containsAll(ok);
                assertThat(Http.metric(router.httpPort(), "ds_router_http_refusals_total{reason=\"channel_full\"}")).isEqualTo(refused);

                // the minute reports (control unreachable here: they wait in the router's ledger), under the channel's task:
                // every event of a 200 accepted, every event of a 429 refused as channel_full, every accepted one written by the sink
                long acceptedEvents = 0;
                long refusedEvents = 0;
                for (int r = 0; r < answers.size(); r++) {
                    if (answers.get(r).join().status() == 200) {
                        acceptedEvents += bodiesOf.get(r).size();
                    } else {
                        refusedEvents += bodiesOf.get(r).size();
                    }
                }
                long accepted = acceptedEvents;
                await().atMost(Duration.ofSeconds(30)).until(() -> reported(router, ReportCount.EVENTS_ACCEPTED, null, null) == accepted
                        && reported(router, null, ReasonKind.EVENTS_WRITTEN, "kafka-events") >= accepted);
                assertThat(reported(router, ReportCount.EVENTS_REFUSED, null, null)).isEqualTo(refusedEvents);
                assertThat(reported(router, null, ReasonKind.EVENTS_REFUSED, "channel_full")).isEqualTo(refusedEvents);
                assertThat(router.reports().pending()).allSatisfy(e -> assertThat(e.task()).isEqualTo("shop"));
                System.out.printf("outage reports: %d events accepted, %d refused (channel_full), %d written by kafka-events%n",
                        accepted, refusedEvents, reported(router, null, ReasonKind.EVENTS_WRITTEN, "kafka-events"));
            }
        }
    }

    /** A count (or, with {@code kind}, one name of a map) summed over the minutes waiting in the router's report ledger. */
    private static long reported(Router router, ReportCount count, ReasonKind kind, String name) {
        long n = 0;
        for (MinuteLedger.Entry e : router.reports().pending()) {
            n += count != null ? e.count(count) : e.reasons().get(kind.ordinal()).getOrDefault(name, 0L);
        }
        return n;
    }

    /**
     * A router halted in the middle of a stream (as a crash looks to clients) loses no event that
     * got a 200, and the next start writes under a new incarnation: identities never repeat.
     */
    @Test
    void aHaltedRouterLosesNoAcceptedEventAndARestartNeverRepeatsAnIdentity() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().build().start()) {
            kafka.createTopic("ds-events", 2);
            String yaml = """
                    id: halt
                    listen: {host: 127.0.0.1, port: 0}
                    http: {host: 127.0.0.1, port: 0}
                    drain: {timeoutMs: 2000}
                    kafka: {bootstrapServers: "%s", properties: {linger.ms: "2"}}
                    httpSource: {enabled: true, port: 0}
                    """.formatted(kafka.bootstrapServers());
            Map<Integer, List<String>> bodiesOf = new HashMap<>();
            List<CompletableFuture<EventClient.Answer>> answers = new ArrayList<>();
            Map<String, String> json = Map.of("Content-Type", "application/json");
            long firstFingerprint;
            try (Router router = Router.start(RouterConfig.fromYaml(yaml))) {
                EventClient client = new EventClient(router.eventsPort());
                for (int r = 0; r < 600; r++) {
                    List<String> bodies = new ArrayList<>();
                    bodiesOf.put(r, bodies);
                    answers.add(client.async("/v1/events", request("halt", r, bodies), json));
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> answers.stream().filter(a -> a.isDone()).count() >= 20);
                int port = router.eventsPort();
                router.halt();
                // the router's side of every connection is gone at once (no half-dead sockets); the JDK client may
                // take a while to notice on some of them, and a request it never finished simply did not get a 200
                List<String> left = serverSockets(port);
                if (!left.isEmpty()) {
                    Process ss = new ProcessBuilder("ss", "-tanlp").redirectErrorStream(true).start();
                    System.out.println("LISTEN: " + new String(ss.getInputStream().readAllBytes()).lines().filter(l -> l.contains(":" + port)).toList());
                    System.out.println("LEFT: " + left.size() + " " + left.subList(0, Math.min(3, left.size())));
                }
                assertThat(left).as("sockets of the halted router").isEmpty();
                try {
                    await().atMost(Duration.ofSeconds(20)).until(() -> answers.stream().allMatch(CompletableFuture::isDone));
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    System.out.printf("halt: %d requests still open in the client 20 s after the halt%n",
                            answers.stream().filter(x -> !x.isDone()).count());
                }
                firstFingerprint = io.datastream.router.sink.EventIdentity.fingerprint("halt", router.eventPipeline().incarnation(), "events");
            }
            Set<String> ok = new HashSet<>();
            for (int r = 0; r < answers.size(); r++) {
                EventClient.Answer a = answers.get(r).isDone() ? answers.get(r).exceptionally(e -> null).join() : null;
                if (a != null && a.status() == 200) {
                    ok.addAll(bodiesOf.get(r));
                }
            }
            assertThat(ok).isNotEmpty();
            try (Router again = Router.start(RouterConfig.fromYaml(yaml))) {
                List<String> bodies = new ArrayList<>();
                EventClient.Answer a = new EventClient(again.eventsPort()).post("/v1/events", request("restarted", 0, bodies), json);
                assertThat(a.status()).isEqualTo(200);
                ok.addAll(bodies);
            }
            List<HttpSourceKafkaIT.Read> read = readAll(kafka, ok);
            Map<LineIdentity, String> bodyOf = new HashMap<>();
            for (HttpSourceKafkaIT.Read x : read) {
                String prev = bodyOf.putIfAbsent(x.identity(), x.body());
                assertThat(prev == null || prev.equals(x.body())).as("identity %s has one content", x.identity()).isTrue();
            }
            assertThat(bodyOf.values()).containsAll(ok);
            Set<Long> fingerprints = new HashSet<>();
            read.forEach(x -> fingerprints.add(x.identity().fingerprint()));
            assertThat(fingerprints).hasSize(2).contains(firstFingerprint);
            // both incarnations start at offset 0: only the fingerprint tells them apart
            assertThat(read.stream().map(HttpSourceKafkaIT.Read::identity).filter(i -> i.offset() == 0).distinct()).hasSize(2);
            System.out.printf("halt: %d of %d requests answered 200 before the halt%n",
                    answers.stream().filter(f -> f.isDone() && f.exceptionally(e -> null).join() != null
                            && f.join().status() == 200).count(),
                    answers.size());
        }
    }

    /** Established TCP connections whose local port is {@code port} (ss from iproute2). */
    private static List<String> serverSockets(int port) throws Exception {
        Process ss;
        try {
            ss = new ProcessBuilder("ss", "-tanp", "state", "established").redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            System.out.println("ss (iproute2) is not installed: the halted router's sockets are not checked");
            return List.of();
        }
        List<String> lines = new String(ss.getInputStream().readAllBytes()).lines().toList();
        ss.waitFor();
        return lines.stream().filter(l -> {
            String[] cols = l.trim().split("\\s+");
            return cols.length >= 4 && cols[2].endsWith(":" + port);
        }).toList();
    }

    private static List<HttpSourceKafkaIT.Read> readAll(EmbeddedKafka kafka, Set<String> expected) {
        var records = io.datastream.router.sim.KafkaRead.records(kafka.bootstrapServers(), "ds-events",
                new io.datastream.protocol.envelope.EnvelopeDeserializer(),
                l -> HttpSourceKafkaIT.lines(l).stream().map(HttpSourceKafkaIT.Read::body).collect(java.util.stream.Collectors.toSet())
                        .containsAll(expected), Duration.ofSeconds(120));
        return HttpSourceKafkaIT.lines(records);
    }
}
