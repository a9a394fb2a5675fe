package io.datastream.router.source.internal;

import io.datastream.router.source.Refusal;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;

/**
 * Aggregates the decompressed body up to {@code maxDecompressedBytes}; beyond it (a compressed
 * body that expands too far: a decompression bomb) answers 413 and closes the connection, having
 * buffered no more than the limit.
 */
final class BoundedAggregator extends HttpObjectAggregator {
    private final SourceContext ctx;

    BoundedAggregator(SourceContext ctx) {
        super(ctx.limits.maxDecompressedBytes());
        this.ctx = ctx;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext c, HttpMessage oversized) {
        ctx.metrics.refused(Refusal.BODY_TOO_LARGE);
        ctx.metrics.answered(Refusal.BODY_TOO_LARGE.status());
        FullHttpResponse res = Responses.refused(c.alloc(), Refusal.BODY_TOO_LARGE,
                "the decompressed request body is over " + ctx.limits.maxDecompressedBytes() + " bytes", -1, ctx.limits.retryAfterSeconds());
        Responses.answerAndClose(c, res);
    }
}
