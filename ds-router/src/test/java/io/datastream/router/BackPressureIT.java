package io.datastream.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.datastream.protocol.ErrorCode;
import io.datastream.protocol.batch.BatchSource;
import io.datastream.protocol.codec.CodecType;
import io.datastream.protocol.envelope.Envelope;
import io.datastream.protocol.envelope.LineIdentity;
import io.datastream.router.sim.Http;
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
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Kafka stops in the middle of a stream: the pool fills, credit stops, ACKs turn into
 * RETRY_LATER after the delivery timeout, and once Kafka is back the re-sent batches make it:
 * nothing is lost.
 */
class BackPressureIT {
    private static final long POOL = 16L << 20;
    private static final int BATCH = 512 << 10;

    @Test
    void kafkaOutageFillsThePoolStopsCreditAndLosesNothing() {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().build().start()) {
            kafka.createTopic("ds-bp", 1);
            String yaml = """
                    id: bp
                    listen: {host: 127.0.0.1, port: 0}
                    http: {host: 127.0.0.1, port: 0}
                    pool: {capacityBytes: %d}
                    health: {kafkaStallMs: 2000}
                    drain: {timeoutMs: 2000}
                    kafka:
                      bootstrapServers: "%s"
                      properties:
                        linger.ms: "2"
                        delivery.timeout.ms: "6000"
                        request.timeout.ms: "2000"
                        max.block.ms: "5000"
                        reconnect.backoff.max.ms: "500"
                    """.formatted(POOL, kafka.bootstrapServers());
            Set<LineIdentity> sent = new HashSet<>();
            try (Router router = Router.start(RouterConfig.fromYaml(yaml));
                 SourceStream file = new SourceStream(new BatchSource("bp", "bp-agent", "h", "/var/log/bp.log", 99L, Map.of()),
                         CodecType.NONE, LogKind.WEB_ACCESS, 99L, BATCH)) {
                SimAgent agent = new SimAgent(group, SimAgent.Options.of("bp-agent", router.port())).start();
                for (int i = 0; i < 10; i++) {
                    submit(agent, file, sent);
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> agent.pending() == 0);
                assertThat(agent.acked()).isEqualTo(10);

                kafka.stop();
                for (int i = 0; i < 48; i++) { // 24 MiB: more than the pool
                    submit(agent, file, sent);
                }
                // the pool fills up to (about) its capacity and never beyond
                await().atMost(Duration.ofSeconds(30)).until(() -> router.poolUsedBytes() > POOL - BATCH - 64);
                assertThat(router.poolUsedBytes()).isLessThanOrEqualTo(POOL);
                assertThat(Http.metric(router.httpPort(), "ds_router_pool_used_bytes")).isLessThanOrEqualTo(POOL);
                // credit stopped: the agent holds batches it may not send
                assertThat(agent.creditLimit() - agent.sentBytes()).isLessThan(BATCH);
                assertThat(agent.pending()).isGreaterThan(10);
                // Kafka has acknowledged nothing for a while: unhealthy
                await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(router.httpPort(), "/health").status() == 503);
                // past the delivery timeout the batches come back as RETRY_LATER, and are re-sent
                await().atMost(Duration.ofSeconds(60)).until(() -> agent.retries(ErrorCode.DOWNSTREAM_UNAVAILABLE) > 0);
                assertThat(agent.rejections(ErrorCode.DOWNSTREAM_UNAVAILABLE)).isZero();

                kafka.start();
                await().atMost(Duration.ofSeconds(120)).until(() -> agent.pending() == 0);
                assertThat(agent.acked()).isEqualTo(58);
                assertThat(agent.outcomes().values()).allMatch(s -> s == io.datastream.protocol.frame.AckStatus.OK);
                assertThat(Http.get(router.httpPort(), "/health").status()).isEqualTo(200);
                assertThat(router.poolUsedBytes()).isZero();
                agent.close();
            }
            List<ConsumerRecord<byte[], Envelope>> records = KafkaRead.records(kafka.bootstrapServers(), "ds-bp",
                    new io.datastream.protocol.envelope.EnvelopeDeserializer(), l -> KafkaRead.lineCounts(l).keySet().containsAll(sent),
                    Duration.ofSeconds(60));
            Map<LineIdentity, Integer> counts = KafkaRead.lineCounts(records);
            assertThat(counts.keySet()).isEqualTo(sent); // every line, nothing else
            long duplicates = counts.values().stream().filter(n -> n > 1).count();
            System.out.printf("back-pressure: %d lines sent, %d distinct in Kafka, %d duplicated (at-least-once)%n", sent.size(), counts.size(),
                    duplicates);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static void submit(SimAgent agent, SourceStream file, Set<LineIdentity> sent) {
        SourceStream.Built b = file.nextFull();
        sent.addAll(b.lines());
        agent.submit(b.bytes());
    }
}
