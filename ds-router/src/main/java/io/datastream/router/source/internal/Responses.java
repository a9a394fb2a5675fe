package io.datastream.router.source.internal;

import io.datastream.router.source.Refusal;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** The JSON answers: {@code {"accepted":N}} and {@code {"error":"...","message":"...","index":N}}. */
final class Responses {
    private Responses() {
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
