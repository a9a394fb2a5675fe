package io.datastream.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.datastream.embedded.kafka.EmbeddedKafka;
import io.datastream.protocol.batch.BatchBuilder;
import io.datastream.protocol.batch.BatchSource;
import io.datastream.protocol.codec.CodecSet;
import io.datastream.protocol.codec.CodecType;
import io.datastream.protocol.envelope.Envelope;
import io.datastream.protocol.envelope.EnvelopeDeserializer;
import io.datastream.protocol.envelope.Line;
import io.datastream.protocol.envelope.LineIdentity;
import io.datastream.protocol.frame.AckStatus;
import io.datastream.router.cli.RouterCommand;
import io.datastream.router.sim.KafkaRead;
import io.datastream.router.sim.SimAgent;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
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
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agents' batches routed into a file-queue channel ({@code routes[].channel}) drained by three
 * sinks: Kafka, a rolling file and a webhook whose target is down the whole time. The router
 * process is killed with SIGKILL mid-stream and started again on the same directories: every line
 * of every batch the agent got an OK for before the kill reaches Kafka and the file sink, Kafka
 * holds each line under one identity (the agent's task, agent, fingerprint and offset), and the
 * failing webhook stops neither of the others.
 */
class AgentChannelCrashIT {
    private static final int BATCHES = 3000;
    private static final int LINES = 10;
    private static final long FINGERPRINT = 0x5eedL;

    @TempDir
    Path tmp;

    private Process startRouter(Path config, String log) throws IOException {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), RouterCommand.class.getName(), "--config", config.toString());
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve(log).toFile()).start();
    }

    private static String line(int batch, int i) {
        return "agent-line-" + batch + "-" + i;
    }

    @Test
    void everyLineAckedBeforeAKill9ReachesKafkaAndTheFileSinkUnderTheAgentsIdentity() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().build().start()) {
            try (var admin = kafka.admin()) {
                admin.createTopics(List.of(new NewTopic("agent-lines", 1, (short) 1))).all().get();
            }
            int port = io.datastream.testkit.net.FreePorts.next();
            int deadPort = io.datastream.testkit.net.FreePorts.next(); // nothing listens: the webhook fails throughout
            Path files = tmp.resolve("out");
            Path config = tmp.resolve("router.yaml");
            Files.writeString(config, AgentChannelBackPressureIT.routedInto("""
                    id: agent-channel-it
                    listen: {host: 127.0.0.1, port: %d}
                    kafka:
                      bootstrapServers: "%s"
                      properties: {linger.ms: "5"}
                    """.formatted(port, kafka.bootstrapServers()),
                    "{name: agents, type: file, format: batches, dir: \"" + tmp.resolve("queue") + "\", capacityBytes: 33554432, segmentBytes: 1048576}",
                    "{name: to-kafka, channel: agents, topic: agent-lines}",
                    "{name: to-files, channel: agents, type: file, dir: \"" + files + "\", rollBytes: 65536}",
                    "{name: to-hook, channel: agents, type: webhook, url: \"http://127.0.0.1:" + deadPort + "/down\", retryBackoffMs: 200, maxRetryBackoffMs: 1000}"));
            Set<String> ackedBeforeKill = new HashSet<>();
            Map<Long, Integer> batchOfId = new HashMap<>();
            EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
            Process router = startRouter(config, "router-1.log");
            try (SimAgent agent = new SimAgent(group, SimAgent.Options.of("agent-1", port)).start();
                 BatchBuilder builder = new BatchBuilder(UnpooledByteBufAllocator.DEFAULT, 64 << 10, 1000);
                 CodecSet codecs = new CodecSet()) {
                long offset = 0;
                for (int b = 0; b < BATCHES; b++) {
                    builder.begin(new BatchSource("app", "agent-1", "web-01", "/var/log/app.log", FINGERPRINT, Map.of("logType", "app")), offset);
                    for (int i = 0; i < LINES; i++) {
                        byte[] l = line(b, i).getBytes(StandardCharsets.UTF_8);
                        builder.tryAppend(l, 0, l.length, 1, System.currentTimeMillis());
                    }
                    offset = builder.endOffset();
                    batchOfId.put(agent.submit(builder.finish(codecs.get(CodecType.LZ4))), b);
                }
                try {
                    await().atMost(Duration.ofSeconds(90)).until(() -> !router.isAlive() || agent.outcomes().size() >= BATCHES / 5);
                    assertThat(router.isAlive()).as("router 1: %s", log("router-1.log")).isTrue();
                    router.destroyForcibly(); // SIGKILL mid-stream
                    router.waitFor();
                } finally {
                    router.destroyForcibly();
                }
                agent.outcomes().forEach((id, status) -> {
                    assertThat(status).isEqualTo(AckStatus.OK);
                    for (int i = 0; i < LINES; i++) {
                        ackedBeforeKill.add(line(batchOfId.get(id), i));
                    }
                });
                assertThat(ackedBeforeKill.size()).as("lines acked before the kill").isGreaterThanOrEqualTo(BATCHES / 5 * LINES)
                        .isLessThan(BATCHES * LINES);
                Process again = startRouter(config, "router-2.log");
                try {
                    // the agent reconnects and re-sends what was not acknowledged
                    await().atMost(Duration.ofSeconds(120)).until(() -> !again.isAlive() || agent.outcomes().size() == BATCHES);
                    assertThat(again.isAlive()).as("router 2: %s", log("router-2.log")).isTrue();
                    assertThat(agent.outcomes().values()).containsOnly(AckStatus.OK);
                    Set<String> all = new HashSet<>();
                    for (int b = 0; b < BATCHES; b++) {
                        for (int i = 0; i < LINES; i++) {
                            all.add(line(b, i));
                        }
                    }
                    Map<String, Set<LineIdentity>> identities = new HashMap<>();
                    for (Line l : kafkaLines(kafka, all, codecs)) {
                        identities.computeIfAbsent(new String(l.content(), StandardCharsets.UTF_8), k -> new HashSet<>()).add(l.identity());
                    }
                    assertThat(identities.keySet()).containsAll(ackedBeforeKill).containsAll(all);
                    for (Map.Entry<String, Set<LineIdentity>> e : identities.entrySet()) {
                        assertThat(e.getValue()).as("identities of %s", e.getKey()).hasSize(1);
                        LineIdentity id = e.getValue().iterator().next();
                        assertThat(id.taskId()).isEqualTo("app");
                        assertThat(id.agentId()).isEqualTo("agent-1");
                        assertThat(id.fingerprint()).isEqualTo(FINGERPRINT);
                    }
                    await().atMost(Duration.ofSeconds(60)).until(() -> FileChannelCrashIT.fileBodies(files).containsAll(all));
                    assertThat(log("router-2.log")).contains("sink to-hook: POST to");
                    System.out.printf("agent batches into a file channel, kill -9: %d lines acked before the kill, %d in all; "
                            + "Kafka and the file sink hold every one, the webhook target was down throughout%n", ackedBeforeKill.size(), all.size());
                } finally {
                    again.destroy();
                    again.waitFor();
                }
            } finally {
                group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
    }

    private String log(String name) throws IOException {
        return Files.readString(tmp.resolve(name));
    }

    private static List<Line> kafkaLines(EmbeddedKafka kafka, Set<String> expected, CodecSet codecs) {
        List<ConsumerRecord<byte[], Envelope>> records = KafkaRead.records(kafka.bootstrapServers(), "agent-lines", new EnvelopeDeserializer(),
                l -> linesOf(l, codecs).stream().map(x -> new String(x.content(), StandardCharsets.UTF_8)).collect(java.util.stream.Collectors.toSet())
                        .containsAll(expected), Duration.ofSeconds(120));
        return linesOf(records, codecs);
    }

    private static List<Line> linesOf(List<ConsumerRecord<byte[], Envelope>> records, CodecSet codecs) {
        List<Line> out = new ArrayList<>();
        for (ConsumerRecord<byte[], Envelope> r : records) {
            assertThat(r.value().isCorrupt()).as("envelope %s", r.value().error()).isFalse();
            try {
                out.addAll(r.value().lines(codecs));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        return out;
    }
}
