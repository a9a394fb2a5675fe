package io.datastream.router.source.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.datastream.router.RouterConfig;
import io.datastream.router.channel.Channel;
import io.datastream.router.channel.MemoryChannel;
import io.datastream.router.config.HttpSourceConfig;
import io.datastream.router.credit.MemoryPool;
import io.datastream.router.event.EventFormat;
import io.datastream.router.http.IntakeMetrics;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Secure by default: without tokens, a client that is not on loopback is refused before its body is read. */
class RequestGateTest {
    private static EmbeddedChannel channelFrom(String address, HttpSourceConfig cfg) {
        Channel events = new MemoryChannel("events", EventFormat.JSON, 1 << 20, new MemoryPool(1 << 24));
        Map<String, Channel> channels = Map.of("events", events);
        SourceContext ctx = new SourceContext(cfg, channels, Map.of(), new IntakeMetrics(new PrometheusRegistry(), channels, Map.of()), null);
        EmbeddedChannel ch = new EmbeddedChannel() {
            @Override
            protected SocketAddress remoteAddress0() {
                return new InetSocketAddress(address, 40000);
            }
        };
        ConnectionState state = new ConnectionState();
        ch.pipeline().addLast(new RequestGate(ctx, state), new BoundedAggregator(ctx), new EventsHandler(ctx, state));
        return ch;
    }

    private static FullHttpResponse send(EmbeddedChannel ch) {
        return send(ch, "application/json", null, null);
    }

    private static FullHttpResponse send(EmbeddedChannel ch, String type, String origin, String host) {
        DefaultFullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/events",
                Unpooled.copiedBuffer("[{\"body\":\"x\"}]", StandardCharsets.UTF_8));
        req.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        if (origin != null) {
            req.headers().set(HttpHeaderNames.ORIGIN, origin);
        }
        if (host != null) {
            req.headers().set(HttpHeaderNames.HOST, host);
        }
        ch.writeInbound(req);
        return ch.readOutbound();
    }

    @Test
    void withoutTokensBrowserPagesCannotSendEventsThroughLoopback() {
        HttpSourceConfig cfg = RouterConfig.defaults().withHttpSource(HttpSourceConfig.enabledDefaults()).validate().httpSource();
        for (String[] attack : new String[][]{{"http://evil.example", "localhost:7102"}, {null, "evil.example:7102"}}) {
            EmbeddedChannel local = channelFrom("127.0.0.1", cfg);
            FullHttpResponse res = send(local, "text/plain", attack[0], attack[1]);
            try {
                assertThat(res.status().code()).isEqualTo(403);
                assertThat(res.content().toString(StandardCharsets.UTF_8)).contains("no tokens are configured");
            } finally {
                res.release();
                local.finishAndReleaseAll();
            }
        }
        // what curl -d sends (form encoding, Host localhost) is read as JSON: accepted, the answer waits for a sink
        EmbeddedChannel curl = channelFrom("127.0.0.1", cfg);
        try {
            send(curl, "application/x-www-form-urlencoded", null, "localhost:7102");
            assertThat((Object) curl.readOutbound()).isNull();
            assertThat(curl.isOpen()).isTrue();
        } finally {
            curl.finishAndReleaseAll();
        }
    }

    @Test
    void withoutTokensOnlyLoopbackClientsMaySend() {
        HttpSourceConfig cfg = RouterConfig.defaults().withHttpSource(HttpSourceConfig.enabledDefaults()).validate().httpSource();
        EmbeddedChannel remote = channelFrom("10.1.2.3", cfg);
        FullHttpResponse res = send(remote);
        try {
            assertThat(res.status().code()).isEqualTo(403);
            assertThat(res.content().toString(StandardCharsets.UTF_8)).contains("only loopback clients");
            assertThat(remote.isOpen()).isFalse();
        } finally {
            res.release();
            remote.finishAndReleaseAll();
        }
        EmbeddedChannel local = channelFrom("127.0.0.1", cfg);
        try {
            send(local); // accepted into the channel: the answer waits for a sink, which this test has none of
            assertThat((Object) local.readOutbound()).isNull();
            assertThat(local.isOpen()).isTrue();
        } finally {
            local.finishAndReleaseAll();
        }
    }

    @Test
    void onlyLoopbackHostNamesPassWithoutTokens() {
        for (String ok : new String[] {"localhost", "LocalHost:7102", "127.0.0.1", "127.1.22.255:80", "[::1]", "[::1]:7102", " localhost "}) {
            assertThat(RequestGate.loopbackHost(ok)).as(ok).isTrue();
        }
        assertThat(RequestGate.loopbackHost(null)).isTrue();
        for (String bad : new String[] {"", "evil.com", "localhost.evil.com", "127.0.0.1.evil.com", "127.0.0", "1270.0.0.1", "127.0.0.1234",
            "127..0.1", "127.0.0.", "128.0.0.1", "[::2]", "localhos", "127.0.0.1x"}) {
            assertThat(RequestGate.loopbackHost(bad)).as(bad).isFalse();
        }
    }

}
