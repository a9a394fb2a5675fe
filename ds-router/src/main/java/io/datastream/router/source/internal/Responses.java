package io.datastream.router.source.internal;

import io.datastream.router.source.Refusal;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** The JSON answers: {@code {"accepted":N}} and {@code {"error":"...","message":"...","index":N}}. */
final class Responses {
    private Responses() {
    }

    /** How long a refused connection keeps reading (and dropping) what the client still sends before it is closed. */
    static final long LINGER_MS = 2_000;
    private static final String DROP_AFTER_REFUSAL = "drop-after-refusal";

    /**
     * Sends {@code res} with {@code Connection: close} and closes the connection the way a client
     * can read the answer: a client still sending the refused body would otherwise get a TCP reset
     * (the kernel resets a socket closed with unread data), which can destroy the answer before the
     * client reads it. So the output is shut down once the answer is flushed (the client sees the
     * answer, then end of stream), what still arrives is read and dropped by the handlers that
     * refused, and the connection is closed when the client closes or after {@link #LINGER_MS}.
     */
    static void answerAndClose(ChannelHandlerContext c, FullHttpResponse res) {
        // nothing the client sends after a refusal is handled, pipelined requests included (the
        // client never sees their answers, so it would send their events again)
        if (c.pipeline().get(DROP_AFTER_REFUSAL) == null) {
            c.pipeline().addBefore(c.name(), DROP_AFTER_REFUSAL, new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ignored, Object msg) {
                    ReferenceCountUtil.release(msg);
                }
            });
        }
        res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        c.writeAndFlush(res).addListener((ChannelFutureListener) f -> {
            Channel ch = f.channel();
            if (!f.isSuccess() || !(ch instanceof DuplexChannel duplex) || !ch.isActive()) {
                ch.close();
                return;
            }
            ch.config().setAutoRead(true);
            duplex.shutdownOutput().addListener(done -> ch.eventLoop().schedule(() -> {
                ch.close();
            }, LINGER_MS, TimeUnit.MILLISECONDS));
        });
    }

    static FullHttpResponse accepted(ByteBufAllocator alloc, int events) {
        return json(alloc, HttpResponseStatus.OK, "{\"accepted\":" + events + "}");
    }

    /**
     * @param index the first bad event, or -1
     */
    static FullHttpResponse refused(ByteBufAllocator alloc, Refusal r, String message, int index, int retryAfterSeconds) {
        StringBuilder b = new StringBuilder(96 + message.length()).append("{\"error\":\"").append(r.label()).append("\",\"message\":");
        quote(b, message);
        if (index >= 0) {
            b.append(",\"index\":").append(index);
        }
        b.append('}');
        FullHttpResponse res = json(alloc, HttpResponseStatus.valueOf(r.status()), b.toString());
        if (r == Refusal.CHANNEL_FULL || r == Refusal.NOT_SAFE_IN_TIME || r == Refusal.SHUTTING_DOWN || r == Refusal.OVERLOADED) {
            res.headers().set(HttpHeaderNames.RETRY_AFTER, retryAfterSeconds);
        }
        if (r == Refusal.UNAUTHORIZED) {
            res.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
        }
        if (r == Refusal.METHOD_NOT_ALLOWED) {
            res.headers().set(HttpHeaderNames.ALLOW, "POST");
        }
        return res;
    }

    private static FullHttpResponse json(ByteBufAllocator alloc, HttpResponseStatus status, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ByteBuf content = alloc.buffer(bytes.length + 1).writeBytes(bytes).writeByte('\n');
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        return res;
    }

    private static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
