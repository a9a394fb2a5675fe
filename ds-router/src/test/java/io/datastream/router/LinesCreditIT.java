package io.datastream.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.datastream.protocol.ErrorCode;
import io.datastream.protocol.batch.BatchSource;
import io.datastream.protocol.codec.CodecType;
import io.datastream.protocol.envelope.LineIdentity;
import io.datastream.router.kafka.LineHeaders;
import io.datastream.router.sim.KafkaRead;
import io.datastream.router.sim.SimAgent;
import io.datastream.router.sim.SourceStream;
import io.datastream.embedded.kafka.EmbeddedKafka;
import io.datastream.embedded.logs.LogKind;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Lines mode with an agent that has far more batches queued than the pool holds once
 * decompressed: a lines-mode batch reserves its decompressed lines and the records made of them,
 * about 20 times its bytes on the wire here, so credit counted in wire bytes alone lets in
 * batches the pool then refuses (RETRY_LATER OVERLOADED, re-sent, refused again, for as long as
 * the queue lasts: hundreds of refusals for these 300 batches). Credit follows what the
 * connection's batches reserve instead. Only the first window, granted with the WELCOME before
 * the router has seen a batch, can still be refused; after it the agent is not asked to re-send,
 * and every line arrives once. (The producer's linger.ms keeps batches in the pool for a while,
 * so that the agent's queue is deeper than what the pool can take.)
 */
class LinesCreditIT {
    private static final long POOL = 16L << 20;
    private static final int BATCHES = 300;
    private static final long WINDOW = 1L << 20;

    @Test
    void creditFollowsTheLinesModeReservationSoADeepQueueIsNotRefused() {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().build().start()) {
            kafka.createTopic("lines-credit", 1);
            String yaml = """
                    id: lc
                    listen: {host: 127.0.0.1, port: 0}
                    http: {host: 127.0.0.1, port: 0}
                    pool: {capacityBytes: %d, maxWindowBytes: %d}
                    limits: {maxBatchBytes: 524288}
                    kafka: {bootstrapServers: "%s", properties: {linger.ms: "200"}}
                    defaultRoute: {topic: lines-credit, mode: lines}
                    """.formatted(POOL, WINDOW, kafka.bootstrapServers());
            Set<String> sent = new HashSet<>();
            int[] smallest = {Integer.MAX_VALUE};
            long reserved;
            try (Router router = Router.start(RouterConfig.fromYaml(yaml));
                 SourceStream file = new SourceStream(new BatchSource("lc", "lc-agent", "h", "/var/log/lc.log", 5L, Map.of()),
                         CodecType.ZSTD, LogKind.WEB_ACCESS, 5L, 256 << 10)) {
                SimAgent agent = new SimAgent(group, SimAgent.Options.of("lc-agent", router.port())).start();
                for (int i = 0; i < BATCHES; i++) {
                    submit(agent, file, sent, smallest);
                }
                await().atMost(Duration.ofSeconds(120)).until(() -> agent.pending() == 0);
                System.out.printf("lines credit: %d batches, retries %s%n", BATCHES, agent.retryCounts());
                assertThat(agent.acked()).isEqualTo(BATCHES);
                // at most the sends the first window (1 MiB) carries are refused; nothing else is
                assertThat(agent.retries(ErrorCode.OVERLOADED)).as("batches refused OVERLOADED")
                        .isLessThanOrEqualTo((int) (WINDOW / smallest[0]));
                assertThat(agent.retryCounts().keySet()).isSubsetOf(ErrorCode.OVERLOADED);
                reserved = router.poolUsedBytes();
                agent.close();
            }
            assertThat(reserved).isZero();
            List<ConsumerRecord<byte[], byte[]>> records = KafkaRead.records(kafka.bootstrapServers(), "lines-credit",
                    new ByteArrayDeserializer(), l -> l.size() >= sent.size(), Duration.ofSeconds(60));
            Set<String> got = new HashSet<>();
            for (ConsumerRecord<byte[], byte[]> r : records) {
                got.add(new String(r.headers().lastHeader(LineHeaders.OFFSET).value(), StandardCharsets.US_ASCII));
            }
            assertThat(got).isEqualTo(sent); // every line (a re-sent batch may have been stored twice: at-least-once)
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static void submit(SimAgent agent, SourceStream file, Set<String> sentOffsets, int[] smallest) {
        SourceStream.Built b = file.nextFull();
        smallest[0] = Math.min(smallest[0], b.bytes().readableBytes());
        for (LineIdentity l : b.lines()) {
            sentOffsets.add(Long.toString(l.offset()));
        }
        agent.submit(b.bytes());
    }
}
