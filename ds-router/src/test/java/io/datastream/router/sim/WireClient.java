package io.datastream.router.sim;

import io.datastream.protocol.ProtocolVersion;
import io.datastream.protocol.codec.CodecType;
import io.datastream.protocol.frame.BatchFrame;
import io.datastream.protocol.frame.Frame;
import io.datastream.protocol.frame.FrameCodec;
import io.datastream.protocol.frame.FrameDecoder;
import io.datastream.protocol.frame.Hello;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLSocketFactory;

/** A blocking, byte-exact protocol client for tests that send exactly the frames (or garbage) they want. */
public final class WireClient implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final ByteBuf inbox = Unpooled.buffer();

    private WireClient(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = socket.getInputStream();
    }

    public static WireClient connect(int port) {
        try {
            Socket s = new Socket();
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setTcpNoDelay(true);
            return new WireClient(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Connects with TLS (the factory decides which certificates are trusted). */
    public static WireClient connectTls(int port, SSLSocketFactory factory) {
        try {
            Socket s = factory.createSocket("localhost", port);
            return new WireClient(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Hello hello(String agentId, String token) {
        return new Hello(ProtocolVersion.MIN_SUPPORTED, ProtocolVersion.MAX_SUPPORTED, CodecType.supportedMask(), agentId, "test-host", token,
                "test", Map.of());
    }

    public WireClient send(Frame frame) {
        ByteBuf buf = Unpooled.buffer();
        try {
            if (frame instanceof BatchFrame b) {
                FrameCodec.encodeBatchHeader(b, buf);
                buf.writeBytes(b.content(), b.content().readerIndex(), b.content().readableBytes());
            } else {
                FrameCodec.encodeControl(frame, buf);
            }
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return sendRaw(bytes);
        } finally {
            buf.release();
        }
    }

    public WireClient sendRaw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next frame, or null when the router closed the connection (EOF or reset). */
    public Frame read(Duration timeout) {
        try {
            socket.setSoTimeout((int) timeout.toMillis());
            byte[] chunk = new byte[8192];
            while (true) {
                Frame f;
                try {
                    f = FrameDecoder.decodeOne(inbox, 1 << 20);
                } catch (io.datastream.protocol.CorruptFrameException e) {
                    throw new AssertionError("the router sent a bad frame", e);
                }
                if (f != null) {
                    return f;
                }
                int n;
                try {
                    n = in.read(chunk);
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("no frame from the router within " + timeout);
                } catch (IOException e) {
                    return null; // reset by peer
                }
                if (n < 0) {
                    return null;
                }
                inbox.writeBytes(chunk, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads frames until one of {@code type} arrives (others are skipped); null on close. */
    @SuppressWarnings("unchecked")
    public <T extends Frame> T readUntil(Class<T> type, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no " + type.getSimpleName() + " within " + timeout);
            }
            Frame f = read(Duration.ofNanos(left).plusMillis(1));
            if (f == null) {
                return null;
            }
            if (type.isInstance(f)) {
                return (T) f;
            }
        }
    }

    /** True when the router closes the connection within {@code timeout} (frames before that are skipped). */
    public boolean closedWithin(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                Frame f = read(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
                if (f == null) {
                    return true;
                }
            }
        } catch (AssertionError timedOut) {
            return false;
        }
        return false;
    }

    @Override
    public void close() {
        inbox.release();
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
