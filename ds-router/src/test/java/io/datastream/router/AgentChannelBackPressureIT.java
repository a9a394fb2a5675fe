package io.datastream.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.datastream.protocol.ErrorCode;
import io.datastream.protocol.batch.BatchBuilder;
import io.datastream.protocol.batch.BatchSource;
import io.datastream.protocol.codec.CodecType;
import io.datastream.protocol.frame.AckStatus;
import io.datastream.router.sim.Http;
import io.datastream.router.sim.SimAgent;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Back-pressure of a channel agents' batches are routed into: a small file-queue channel whose
 * only sink is a webhook whose target is down fills up, and the batches that no longer fit are
 * answered RETRY_LATER OVERLOADED (counted as {@code full}), never dropped; once the target is up
 * the webhook drains the channel, the agent's re-sends go in, and the target gets every line with
 * the agent's identity in its headers. The router's health names the channel and the sink's lag.
 */
class AgentChannelBackPressureIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCHES = 300;
    private static final int LINES = 20;

    @TempDir
    Path tmp;

    /** Line body -> its ds.offset header, as the webhook target got them. */
    private final Map<String, String> received = new ConcurrentHashMap<>();

    private HttpServer target(int port) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
        s.createContext("/hook", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            for (String line : body.split("\n")) {
                if (!line.isEmpty()) {
                    JsonNode n = JSON.readTree(line);
                    JsonNode h = n.get("headers");
                    assertThat(h.get("ds.task").asText()).isEqualTo("app");
                    assertThat(h.get("ds.agent").asText()).isEqualTo("agent-1");
                    assertThat(h.get("ds.fingerprint").asText()).isEqualTo("0000000000000007");
                    assertThat(h.get("logType").asText()).isEqualTo("app");
                    received.put(n.get("body").asText(), h.get("ds.offset").asText());
                }
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        s.start();
        return s;
    }

    /**
     * A router configuration: {@code head} (id, listen, kafka), a rule putting task {@code app} into
     * channel {@code agents}, the HTTP source with {@code channel} as its only channel and {@code sinks}.
     */
    static String routedInto(String head, String channel, String... sinks) {
        StringBuilder b = new StringBuilder(head).append("""
                http: {host: 127.0.0.1, port: 0}
                routes:
                  - {task: app, channel: agents}
                httpSource:
                  enabled: true
                  port: 0
                  defaultChannel: ""
                  channels:
                """).append("    - ").append(channel).append("\n  sinks:\n");
        for (String s : sinks) {
            b.append("    - ").append(s).append('\n');
        }
        return b.toString();
    }

    private static String hook(int port) {
        return "{name: to-hook, channel: agents, type: webhook, url: \"http://127.0.0.1:" + port + "/hook\", retryBackoffMs: 100, maxRetryBackoffMs: 500}";
    }

    /** Lines of one batch: (batch, line) -> text. */
    interface LineText {
        String of(int batch, int line);
    }

    /** Submits {@code batches} batches of {@link #LINES} lines of task app, file fingerprint 7, one after the other in the file. */
    static void submit(SimAgent agent, BatchBuilder builder, int batches, LineText text, Set<String> lines) {
        long offset = 0;
        for (int b = 0; b < batches; b++) {
            builder.begin(new BatchSource("app", "agent-1", "web-01", "/var/log/app.log", 7L, Map.of("logType", "app")), offset);
            for (int i = 0; i < LINES; i++) {
                String line = text.of(b, i);
                lines.add(line);
                byte[] l = line.getBytes(StandardCharsets.UTF_8);
                builder.tryAppend(l, 0, l.length, 1, System.currentTimeMillis());
            }
            offset = builder.endOffset();
            agent.submit(builder.finish(CodecType.NONE.create()));
        }
    }

    @Test
    void aFullChannelAnswersRetryLaterAndTakesTheBatchesOnceItsSinkCatchesUp() throws Exception {
        int hookPort = io.datastream.testkit.net.FreePorts.next();
        RouterConfig cfg = RouterConfig.fromYaml(routedInto("id: agent-backpressure-it\nlisten: {host: 127.0.0.1, port: 0}\n"
                + "kafka: {bootstrapServers: \"127.0.0.1:1\"}\n",
                "{name: agents, type: file, format: batches, dir: \"" + tmp.resolve("queue") + "\", capacityBytes: 2097152, segmentBytes: 1048576}",
                hook(hookPort)));
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        HttpServer hook = null;
        Set<String> all = ConcurrentHashMap.newKeySet();
        try (Router router = Router.start(cfg);
             SimAgent agent = new SimAgent(group, SimAgent.Options.of("agent-1", router.port())).start();
             BatchBuilder builder = new BatchBuilder(UnpooledByteBufAllocator.DEFAULT, 64 << 10, 1000)) {
            String padding = "x".repeat(800);
            submit(agent, builder, BATCHES, (b, i) -> "line-" + b + "-" + i + "-" + padding, all);
            // about 16 KiB a batch, 4.8 MB in all: the 2 MiB channel fills while the webhook target is down
            await().atMost(Duration.ofSeconds(60)).until(() -> agent.retries(ErrorCode.OVERLOADED) >= 10);
            assertThat(agent.outcomes().values()).containsOnly(AckStatus.OK);
            assertThat(agent.outcomes().size()).isLessThan(BATCHES);
            assertThat(Http.metric(router.httpPort(), "ds_router_channel_route_batches_total{channel=\"agents\",outcome=\"full\"}"))
                    .isGreaterThanOrEqualTo(10);
            String health = Http.get(router.httpPort(), "/health").body();
            assertThat(health).contains("channel agents: used").contains("sink to-hook (channel agents)");
            hook = target(hookPort);
            await().atMost(Duration.ofSeconds(120)).until(() -> agent.outcomes().size() == BATCHES);
            assertThat(agent.outcomes().values()).containsOnly(AckStatus.OK);
            await().atMost(Duration.ofSeconds(60)).until(() -> received.keySet().containsAll(all));
            assertThat(Http.metric(router.httpPort(), "ds_router_channel_route_batches_total{channel=\"agents\",outcome=\"stored\"}"))
                    .isEqualTo(BATCHES);
            assertThat(Http.metric(router.httpPort(), "ds_router_channel_route_lines_total{channel=\"agents\"}")).isEqualTo(BATCHES * LINES);
            assertThat(received.get("line-0-1-" + padding)).isEqualTo(Long.toString(("line-0-0-" + padding).length() + 1));
            System.out.printf("agent batches into a full channel: %d RETRY_LATER OVERLOADED while the webhook was down, then all %d batches OK%n",
                    agent.retries(ErrorCode.OVERLOADED), BATCHES);
        } finally {
            if (hook != null) {
                hook.stop(0);
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    /**
     * A memory channel keeps nothing over a crash, so an agent's batch routed into one is
     * acknowledged only once every sink has it: while the webhook target is down no batch is
     * acknowledged, and when the agent has all its OKs the target already had every line.
     */
    @Test
    void aMemoryChannelAcknowledgesOnlyWhatEverySinkHas() throws Exception {
        int hookPort = io.datastream.testkit.net.FreePorts.next();
        RouterConfig cfg = RouterConfig.fromYaml(routedInto("id: agent-memory-it\nlisten: {host: 127.0.0.1, port: 0}\n"
                + "kafka: {bootstrapServers: \"127.0.0.1:1\"}\n", "{name: agents, format: batches}", hook(hookPort)));
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        HttpServer hook = null;
        Set<String> all = ConcurrentHashMap.newKeySet();
        int batches = 20;
        try (Router router = Router.start(cfg);
             SimAgent agent = new SimAgent(group, SimAgent.Options.of("agent-1", router.port())).start();
             BatchBuilder builder = new BatchBuilder(UnpooledByteBufAllocator.DEFAULT, 64 << 10, 1000)) {
            submit(agent, builder, batches, (b, i) -> "memory-" + b + "-" + i, all);
            String failures = "ds_router_sink_failures_total{sink=\"to-hook\"}";
            await().atMost(Duration.ofSeconds(60)).until(() -> Http.metric(router.httpPort(), failures) >= 3
                    && Http.metric(router.httpPort(), "ds_router_channel_events_total{channel=\"agents\"}") == batches);
            assertThat(agent.outcomes()).as("acknowledged while the only sink had nothing").isEmpty();
            hook = target(hookPort);
            await().atMost(Duration.ofSeconds(60)).until(() -> agent.outcomes().size() == batches);
            assertThat(agent.outcomes().values()).containsOnly(AckStatus.OK);
            assertThat(received.keySet()).containsAll(all);
        } finally {
            if (hook != null) {
                hook.stop(0);
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
