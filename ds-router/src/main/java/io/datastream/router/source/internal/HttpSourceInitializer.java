package io.datastream.router.source.internal;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpContentDecompressor;
import io.netty.handler.codec.http.HttpServerCodec;

/**
 * The pipeline of one HTTP connection: {@code [TLS] -> HTTP codec (request line 4 KiB, headers 16
 * KiB) -> gate (limits, auth, timers, compressed size) -> decompressor (gzip, deflate, zstd) ->
 * budget (decompressed bytes across connections) -> aggregator (decompressed size) -> events handler}.
 */
public final class HttpSourceInitializer extends ChannelInitializer<SocketChannel> {
    private final SourceContext ctx;

    public HttpSourceInitializer(SourceContext ctx) {
        this.ctx = ctx;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ConnectionState state = new ConnectionState();
        ChannelPipeline p = ch.pipeline();
        if (ctx.ssl != null) {
            p.addLast("tls", ctx.ssl.newHandler(ch.alloc()));
        }
        p.addLast("http", new HttpServerCodec(4096, 16 << 10, 64 << 10));
        p.addLast("gate", new RequestGate(ctx, state));
        p.addLast("decompress", new HttpContentDecompressor(false, ctx.limits.maxDecompressedBytes()));
        p.addLast("budget", new BodyBudgetHandler(ctx, state));
        p.addLast("aggregate", new BoundedAggregator(ctx));
        p.addLast("events", new EventsHandler(ctx, state));
    }
}
