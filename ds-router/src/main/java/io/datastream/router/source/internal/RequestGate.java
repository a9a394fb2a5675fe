package io.datastream.router.source.internal;

import io.datastream.router.source.Refusal;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Decides on a request from its head, before any of its body is buffered: connection limit,
 * path, method, client (token or loopback), Content-Type, Content-Encoding, Content-Length; then
 * counts the body as sent (compressed) against {@code maxBodyBytes}, and times the request
 * ({@code requestTimeoutMs}) and the idle connection ({@code idleTimeoutMs}). A refusal here
 * answers at once and closes the connection (the rest of the body is not read).
 */
final class RequestGate extends ChannelDuplexHandler {
    static final String PATH = "/v1/events";
    private static final Set<String> ENCODINGS = Set.of("identity", "gzip", "x-gzip", "deflate", "x-deflate", "zstd");
    /**
     * Accepted media types. {@code application/x-www-form-urlencoded} is what {@code curl -d} sends
     * by default: its body is read as JSON like {@code application/json} (curl does not encode a
     * file given with {@code -d @file}). Browsers can send it cross-site, so without tokens a
     * request with an {@code Origin} is refused.
     */
    private static final Set<String> TYPES = Set.of("application/json", "application/x-ndjson", "application/ndjson", "text/plain",
            "application/x-www-form-urlencoded");

    private final SourceContext ctx;
    private final ConnectionState state;
    private boolean counted;
    private boolean discarding;
    private long bodyBytes;
    private ScheduledFuture<?> idleTimer;
    private ScheduledFuture<?> requestTimer;

    RequestGate(SourceContext ctx, ConnectionState state) {
        this.ctx = ctx;
        this.state = state;
    }

    @Override
    public void channelActive(ChannelHandlerContext c) throws Exception {
        if (ctx.isClosing()) {
            // accepted just before the source stopped: the connection-closing sweep may have missed it
            c.close();
            return;
        }
        if (ctx.connections.incrementAndGet() > ctx.limits.maxConnections()) {
            ctx.connections.decrementAndGet();
            c.close();
            return;
        }
        counted = true;
        ctx.open.add(c.channel());
        if (ctx.isClosing()) {
            c.close(); // the source began stopping while this connection joined
            return;
        }
        armIdle(c);
        super.channelActive(c);
    }

    @Override
    public void channelInactive(ChannelHandlerContext c) throws Exception {
        if (counted) {
            counted = false;
            ctx.connections.decrementAndGet();
        }
        cancel(idleTimer);
        cancel(requestTimer);
        super.channelInactive(c);
    }

    @Override
    public void channelRead(ChannelHandlerContext c, Object msg) {
        if (discarding) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest req) {
            cancel(idleTimer);
            state.inRequest = true;
            bodyBytes = 0;
            requestTimer = c.executor().schedule(() -> timedOut(c), ctx.limits.requestTimeoutMs(), TimeUnit.MILLISECONDS);
            Tokens.Grant grant = admit(c, req);
            if (grant == null) {
                ReferenceCountUtil.release(msg);
                return;
            }
            state.grants.add(grant);
        }
        if (msg instanceof HttpContent content) {
            bodyBytes += content.content().readableBytes();
            ctx.metrics.received(content.content().readableBytes());
            if (bodyBytes > ctx.limits.maxBodyBytes()) {
                ReferenceCountUtil.release(msg);
                refuse(c, Refusal.BODY_TOO_LARGE, "the request body is over " + ctx.limits.maxBodyBytes() + " bytes");
                return;
            }
            if (content instanceof LastHttpContent) {
                state.inRequest = false;
                cancel(requestTimer);
            }
        }
        c.fireChannelRead(msg);
    }

    /** The client's grant, or null when the request was refused. */
    private Tokens.Grant admit(ChannelHandlerContext c, HttpRequest req) {
        if (req.decoderResult().isFailure()) {
            Throwable cause = req.decoderResult().cause();
            if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongHttpLineException) {
                refuse(c, Refusal.HEADERS_TOO_LARGE, "the request line or headers are too large");
            } else {
                refuse(c, Refusal.MALFORMED, "not a valid HTTP request");
            }
            return null;
        }
        String uri = req.uri();
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        if (!path.equals(PATH)) {
            refuse(c, Refusal.NOT_FOUND, "no such resource: events are posted to " + PATH);
            return null;
        }
        if (!req.method().equals(HttpMethod.POST)) {
            refuse(c, Refusal.METHOD_NOT_ALLOWED, "use POST " + PATH);
            return null;
        }
        Tokens.Grant grant;
        if (ctx.tokens.required()) {
            grant = ctx.tokens.check(req.headers().get(HttpHeaderNames.AUTHORIZATION));
            if (grant == null) {
                refuse(c, Refusal.UNAUTHORIZED, "a valid token is required: Authorization: Bearer <token>");
                return null;
            }
        } else {
            if (!(c.channel().remoteAddress() instanceof InetSocketAddress a) || a.getAddress() == null || !a.getAddress().isLoopbackAddress()) {
                refuse(c, Refusal.FORBIDDEN, "no tokens are configured: only loopback clients may send events");
                return null;
            }
            // a web page in a browser on this host: cross-site (Origin) or through a rebound DNS name (Host)
            if (req.headers().contains(HttpHeaderNames.ORIGIN)) {
                refuse(c, Refusal.FORBIDDEN, "no tokens are configured: requests from browsers (with an Origin header) are refused");
                return null;
            }
            if (!loopbackHost(req.headers().get(HttpHeaderNames.HOST))) {
                refuse(c, Refusal.FORBIDDEN, "no tokens are configured: only requests addressed to localhost, 127.0.0.1 or [::1] are accepted");
                return null;
            }
            grant = Tokens.Grant.LOCAL;
        }
        String encoding = req.headers().get(HttpHeaderNames.CONTENT_ENCODING);
        if (encoding != null && !ENCODINGS.contains(encoding.trim().toLowerCase(Locale.ROOT))) {
            refuse(c, Refusal.UNSUPPORTED_MEDIA_TYPE, "Content-Encoding must be gzip, deflate, zstd or identity");
            return null;
        }
        String type = mimeType(req);
        if (type != null && !TYPES.contains(type)) {
            refuse(c, Refusal.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json, application/x-ndjson or text/plain");
            return null;
        }
        long length = HttpUtil.getContentLength(req, -1L);
        if (length > ctx.limits.maxBodyBytes()) {
            refuse(c, Refusal.BODY_TOO_LARGE, "the request body is over " + ctx.limits.maxBodyBytes() + " bytes");
            return null;
        }
        return grant;
    }

    /** Whether a Host header names this host by a loopback name (absent: an HTTP/1.0 client, accepted). */
    static boolean loopbackHost(String host) {
        if (host == null) {
            return true;
        }
        // on every request without tokens: no regex, no lower-casing copy
        String h = host.trim();
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end > 0 && h.substring(1, end).equals("::1");
        }
        int colon = h.lastIndexOf(':');
        int end = colon < 0 ? h.length() : colon;
        return (end == 9 && h.regionMatches(true, 0, "localhost", 0, 9)) || isLoopbackV4(h, end);
    }

    /** Whether {@code h[0, end)} is {@code 127.d.d.d}, each d 1 to 3 digits. */
    private static boolean isLoopbackV4(String h, int end) {
        if (end < 9 || !h.startsWith("127.")) {
            return false;
        }
        int groups = 0;
        int digits = 0;
        for (int i = 4; i < end; i++) {
            char c = h.charAt(i);
            if (c >= '0' && c <= '9') {
                if (++digits > 3) {
                    return false;
                }
            } else if (c == '.' && digits > 0 && groups < 2) {
                groups++;
                digits = 0;
            } else {
                return false;
            }
        }
        return groups == 2 && digits > 0;
    }

    /** The media type without parameters, lower case, or null. */
    static String mimeType(HttpRequest req) {
        String type = req.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (type == null) {
            return null;
        }
        int semi = type.indexOf(';');
        return (semi < 0 ? type : type.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    private void timedOut(ChannelHandlerContext c) {
        if (state.inRequest && c.channel().isActive()) {
            refuse(c, Refusal.TIMEOUT, "the request was not received within " + ctx.limits.requestTimeoutMs() + " ms");
        }
    }

    private void armIdle(ChannelHandlerContext c) {
        cancel(idleTimer);
        idleTimer = c.executor().schedule(() -> {
            if (!state.inRequest && !state.busy) {
                c.close();
            } else {
                armIdle(c);
            }
        }, ctx.limits.idleTimeoutMs(), TimeUnit.MILLISECONDS);
    }

    /** Answers {@code r} and closes the connection; whatever else arrives is dropped. */
    private void refuse(ChannelHandlerContext c, Refusal r, String message) {
        discarding = true;
        state.inRequest = false;
        cancel(requestTimer);
        ctx.metrics.refused(r);
        ctx.metrics.answered(r.status());
        FullHttpResponse res = Responses.refused(c.alloc(), r, message, -1, ctx.limits.retryAfterSeconds());
        Responses.answerAndClose(c, res);
    }

    @Override
    public void write(ChannelHandlerContext c, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse && !state.inRequest && !state.busy) {
            armIdle(c);
        }
        c.write(msg, promise);
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }
}
