package io.datastream.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.datastream.protocol.batch.BatchSource;
import io.datastream.protocol.codec.CodecType;
import io.datastream.protocol.envelope.Envelope;
import io.datastream.protocol.envelope.EnvelopeDeserializer;
import io.datastream.protocol.envelope.LineIdentity;
import io.datastream.protocol.frame.GoAwayReason;
import io.datastream.router.sim.KafkaRead;
import io.datastream.router.sim.SimAgent;
import io.datastream.router.sim.SourceStream;
import io.datastream.embedded.kafka.EmbeddedKafka;
import io.datastream.embedded.logs.LogKind;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A router goes away in the middle of a stream; the agent moves to the other one and nothing is lost. */
class FailoverIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static EmbeddedKafka kafka;
    private static EventLoopGroup group;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.builder().defaultPartitions(2).build().start();
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        kafka.close();
    }

    /** A router whose producer lingers {@code lingerMs}: batches stay in flight that long. */
    static Router router(String id, int lingerMs) {
        return Router.start(RouterConfig.fromYaml("""
                id: %s
                listen: {host: 127.0.0.1, port: 0}
                http: {host: 127.0.0.1, port: 0}
                drain: {timeoutMs: 10000}
                kafka: {bootstrapServers: "%s", properties: {linger.ms: "%d"}}
                """.formatted(id, kafka.bootstrapServers(), lingerMs)));
    }

    @Test
    void gracefulCloseDrainsAndTheAgentMovesOn() {
        Set<GoAwayReason> reasons = new HashSet<>();
        runFailover("drain", (a) -> {
            CompletableFuture.runAsync(a::close).join();
        }, agent -> agent.goAways().forEach(g -> reasons.add(g.reason())));
        assertThat(reasons).containsExactly(GoAwayReason.DRAIN);
    }

    @Test
    void aKilledRouterLosesNothing() {
        runFailover("halt", Router::halt, agent -> {
            assertThat(agent.goAways()).isEmpty();
            // batches were in flight (held by the producer's linger) when the router died: re-sent to the other one
            assertThat(agent.resentAfterDisconnect()).isPositive();
        });
    }

    private static void runFailover(String name, Consumer<Router> failure, Consumer<SimAgent> check) {
        String topic = "ds-" + name;
        Set<LineIdentity> sent = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Router a = router(name + "-a", 300);
        Router b = router(name + "-b", 5);
        try (SourceStream f1 = stream(name, 1); SourceStream f2 = stream(name, 2)) {
            SimAgent agent = new SimAgent(group, SimAgent.Options.of(name + "-agent", a.port(), b.port())).start();
            AtomicInteger made = new AtomicInteger();
            // a steady stream of 120 batches, at most 8 queued or in flight at a time
            agent.feed(() -> {
                int i = made.getAndIncrement();
                if (i >= 120) {
                    return null;
                }
                SourceStream.Built built = (i % 2 == 0 ? f1 : f2).nextFull();
                sent.addAll(built.lines());
                return built.bytes();
            }, 8);
            // router A's producer lingers 300 ms, so batches are in flight when it goes away
            await().atMost(WAIT).pollInterval(Duration.ofMillis(2)).until(() -> agent.acked() >= 5 && agent.inFlight() > 0);
            failure.accept(a);
            await().atMost(WAIT).until(() -> made.get() > 120 && agent.pending() == 0);
            assertThat(agent.acked()).isEqualTo(120);
            // it started on A and finished on B
            assertThat(agent.connections()).hasSizeGreaterThanOrEqualTo(2);
            assertThat(agent.connections().get(0)).endsWith(":" + a.port());
            assertThat(agent.connections().get(agent.connections().size() - 1)).endsWith(":" + b.port());
            check.accept(agent);
            System.out.printf("%s: %d batches were in flight when the router went away and were re-sent%n", name, agent.resentAfterDisconnect());
            agent.close();
        } finally {
            a.close();
            b.close();
        }
        List<ConsumerRecord<byte[], Envelope>> records = KafkaRead.records(kafka.bootstrapServers(), topic, new EnvelopeDeserializer(),
                l -> KafkaRead.lineCounts(l).keySet().containsAll(sent), WAIT);
        Map<LineIdentity, Integer> counts = KafkaRead.lineCounts(records);
        assertThat(counts.keySet()).isEqualTo(sent);
    }

    private static SourceStream stream(String task, long fingerprint) {
        return new SourceStream(new BatchSource(task, task + "-agent", "h", "/var/log/" + fingerprint, fingerprint, Map.of()), CodecType.LZ4,
                LogKind.JSON, fingerprint, 64 << 10);
    }

}
