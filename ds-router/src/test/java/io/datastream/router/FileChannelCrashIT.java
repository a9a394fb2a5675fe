package io.datastream.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.datastream.embedded.kafka.EmbeddedKafka;
import io.datastream.protocol.envelope.LineIdentity;
import io.datastream.router.cli.RouterCommand;
import io.datastream.router.sim.EventClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a router process mid-stream, with a file-queue channel drained by two sinks (Kafka
 * and a rolling file): after a restart every event answered 200 reaches both sinks at least once,
 * and Kafka holds each event under one identity (the one it got when it was put).
 */
class FileChannelCrashIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static int freePort() throws IOException {
        return io.datastream.testkit.net.FreePorts.next();
    }

    private Process startRouter(Path config, String log) throws IOException {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), RouterCommand.class.getName(), "--config", config.toString());
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve(log).toFile()).start();
    }

    private void awaitUp(EventClient client, Process p, String log) throws IOException {
        try {
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> !p.isAlive() || client.post("[{\"headers\":{},\"body\":\"warm-up-" + System.nanoTime() + "\"}]").status() == 200);
        } finally {
            if (!p.isAlive()) {
                throw new AssertionError("router process ended:\n" + Files.readString(tmp.resolve(log)));
            }
        }
    }

    @Test
    void everyEventAnswered200ReachesBothSinksAfterAKill9UnderOneIdentity() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().build().start()) {
            try (var admin = kafka.admin()) {
                admin.createTopics(List.of(new NewTopic("ds-events", 1, (short) 1))).all().get();
            }
            int port = freePort();
            Path files = tmp.resolve("out");
            Path config = tmp.resolve("router.yaml");
            Files.writeString(config, """
                    id: crash-it
                    listen: {host: 127.0.0.1, port: 0}
                    http: {host: 127.0.0.1, port: 0}
                    kafka:
                      bootstrapServers: "%s"
                      properties: {linger.ms: "5"}
                    httpSource:
                      enabled: true
                      port: %d
                      channels:
                        - {name: events, type: file, dir: "%s", capacityBytes: 16777216, segmentBytes: 1048576}
                      sinks:
                        - {name: to-kafka, channel: events}
                        - {name: to-files, channel: events, type: file, dir: "%s", rollBytes: 65536}
                    """.formatted(kafka.bootstrapServers(), port, tmp.resolve("queue"), files));
            EventClient client = new EventClient(port);
            Process router = startRouter(config, "router-1.log");
            Set<String> ok = ConcurrentSets.newSet();
            AtomicInteger requests = new AtomicInteger();
            AtomicBoolean sending = new AtomicBoolean(true);
            try {
                awaitUp(client, router, "router-1.log");
                Thread sender = new Thread(() -> {
                    int r = 0;
                    while (sending.get()) {
                        List<String> bodies = new ArrayList<>();
                        List<Map<String, String>> headers = new ArrayList<>();
                        for (int i = 0; i < 20; i++) {
                            bodies.add("run1-" + r + "-" + i);
                            headers.add(Map.of("logType", "app"));
                        }
                        r++;
                        try {
                            if (client.post(EventClient.jsonArray(headers, bodies)).status() == 200) {
                                ok.addAll(bodies);
                                requests.incrementAndGet();
                            }
                        } catch (RuntimeException e) {
                            // the router is gone: this request got no 200
                        }
                    }
                });
                sender.start();
                await().atMost(Duration.ofSeconds(60)).until(() -> requests.get() >= 200);
                router.destroyForcibly(); // SIGKILL
                router.waitFor();
                sending.set(false);
                sender.join();
            } finally {
                router.destroyForcibly();
            }
            assertThat(ok).hasSizeGreaterThanOrEqualTo(4000);
            Process again = startRouter(config, "router-2.log");
            try {
                awaitUp(client, again, "router-2.log");
                List<String> after = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    after.add("run2-" + i);
                }
                assertThat(client.post(EventClient.jsonArray(after.stream().map(b -> Map.<String, String>of()).toList(), after)).status())
                        .isEqualTo(200);
                ok.addAll(after);
                List<HttpSourceKafkaIT.Read> read = readKafka(kafka, ok);
                Map<String, Set<LineIdentity>> identities = new HashMap<>();
                Map<LineIdentity, String> bodyOf = new HashMap<>();
                for (HttpSourceKafkaIT.Read x : read) {
                    identities.computeIfAbsent(x.body(), k -> new HashSet<>()).add(x.identity());
                    String prev = bodyOf.putIfAbsent(x.identity(), x.body());
                    assertThat(prev == null || prev.equals(x.body())).as("identity %s names two events", x.identity()).isTrue();
                }
                assertThat(identities.keySet()).containsAll(ok);
                for (String body : ok) {
                    assertThat(identities.get(body)).as("identities of %s", body).hasSize(1);
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> fileBodies(files).containsAll(ok));
                System.out.printf("kill -9: %d events answered 200 before the kill and 10 after; Kafka read %d (with re-deliveries)%n",
                        ok.size() - 10, read.size());
            } finally {
                again.destroy();
                again.waitFor();
            }
        }
    }

    private static List<HttpSourceKafkaIT.Read> readKafka(EmbeddedKafka kafka, Set<String> expected) {
        var records = io.datastream.router.sim.KafkaRead.records(kafka.bootstrapServers(), "ds-events",
                new io.datastream.protocol.envelope.EnvelopeDeserializer(),
                l -> HttpSourceKafkaIT.lines(l).stream().map(HttpSourceKafkaIT.Read::body).collect(java.util.stream.Collectors.toSet())
                        .containsAll(expected), Duration.ofSeconds(120));
        return HttpSourceKafkaIT.lines(records);
    }

    /** The bodies in the file sink's files (finished and in progress). */
    static Set<String> fileBodies(Path dir) throws IOException {
        Set<String> out = new HashSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
                    if (!line.isEmpty()) {
                        out.add(JSON.readTree(line).get("body").asText());
                    }
                }
            }
        }
        return out;
    }

    /** A thread-safe set. */
    static final class ConcurrentSets {
        static Set<String> newSet() {
            return java.util.concurrent.ConcurrentHashMap.newKeySet();
        }
    }
}
