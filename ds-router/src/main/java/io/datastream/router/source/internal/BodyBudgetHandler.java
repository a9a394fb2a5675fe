package io.datastream.router.source.internal;

import io.datastream.router.source.Refusal;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * Takes every decompressed body chunk from the router-wide {@link BodyBudget} before the
 * aggregator buffers it. A chunk that does not fit refuses the request with 503 {@code overloaded}
 * (with Retry-After) and closes the connection, giving back what the request held; the rest of
 * its bytes are dropped unread. A whole request's bytes stay taken until the events handler has
 * parsed it ({@link ConnectionState#bodyBytes}); a closed connection gives back all it held.
 */
final class BodyBudgetHandler extends ChannelInboundHandlerAdapter {
    private final SourceContext ctx;
    private final ConnectionState state;
    /** Bytes the request being read holds. */
    private long current;
    private boolean discarding;

    BodyBudgetHandler(SourceContext ctx, ConnectionState state) {
        this.ctx = ctx;
        this.state = state;
    }

    @Override
    public void channelRead(ChannelHandlerContext c, Object msg) {
        if (discarding) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpContent content) {
            int n = content.content().readableBytes();
            if (!ctx.bodies.tryReserve(n)) {
                ReferenceCountUtil.release(msg);
                refuse(c);
                return;
            }
            current += n;
            if (content instanceof LastHttpContent) {
                state.bodyBytes.add(current);
                current = 0;
            }
        }
        c.fireChannelRead(msg);
    }

    private void refuse(ChannelHandlerContext c) {
        discarding = true;
        ctx.bodies.release(current);
        current = 0;
        state.inRequest = false;
        ctx.metrics.refused(Refusal.OVERLOADED);
        ctx.metrics.answered(Refusal.OVERLOADED.status());
        FullHttpResponse res = Responses.refused(c.alloc(), Refusal.OVERLOADED, "the request bodies being read across connections would pass "
                + ctx.limits.maxInFlightBodyBytes() + " bytes (httpSource.limits.maxInFlightBodyBytes); retry later", -1, ctx.limits.retryAfterSeconds());
        Responses.answerAndClose(c, res);
    }

    @Override
    public void channelInactive(ChannelHandlerContext c) throws Exception {
        ctx.bodies.release(current);
        current = 0;
        Long held;
        while ((held = state.bodyBytes.poll()) != null) {
            ctx.bodies.release(held);
        }
        super.channelInactive(c);
    }
}
