package io.datastream.router.server;

import io.datastream.protocol.ErrorCode;
import io.datastream.protocol.ProtocolVersion;
import io.datastream.protocol.codec.CodecType;
import io.datastream.protocol.frame.ErrorFrame;
import io.datastream.protocol.frame.Hello;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Checks a HELLO: version negotiation, the auth token, codecs. */
final class Handshake {
    /** The agreed version and codecs, or the error that ends the connection. */
    record Result(int version, int codecMask, ErrorFrame error) {
        boolean ok() {
            return error == null;
        }
    }

    private Handshake() {
    }

    static Result check(Hello hello, String authToken) {
        int version = ProtocolVersion.negotiate(hello.minVersion(), hello.maxVersion(), ProtocolVersion.MIN_SUPPORTED, ProtocolVersion.MAX_SUPPORTED);
        if (version < 0) {
            return refuse(ErrorCode.UNSUPPORTED_VERSION, "the agent speaks protocol versions " + hello.minVersion() + ".." + hello.maxVersion()
                    + ", this router " + ProtocolVersion.MIN_SUPPORTED + ".." + ProtocolVersion.MAX_SUPPORTED);
        }
        if (!authToken.isEmpty() && !MessageDigest.isEqual(authToken.getBytes(StandardCharsets.UTF_8),
                hello.authToken().getBytes(StandardCharsets.UTF_8))) {
            return refuse(ErrorCode.AUTH_FAILED, hello.authToken().isEmpty() ? "this router requires an auth token" : "the auth token was refused");
        }
        int codecs = hello.codecMask() & CodecType.supportedMask();
        if (codecs == 0) {
            return refuse(ErrorCode.UNSUPPORTED_CODEC, "no codec in common: agent mask 0x" + Integer.toHexString(hello.codecMask())
                    + ", router mask 0x" + Integer.toHexString(CodecType.supportedMask()));
        }
        return new Result(version, codecs, null);
    }

    private static Result refuse(ErrorCode code, String message) {
        return new Result(-1, 0, new ErrorFrame(code, message));
    }
}
