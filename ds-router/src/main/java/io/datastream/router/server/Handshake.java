package io.datastream.router.server;

import io.datastream.protocol.ErrorCode;
import io.datastream.protocol.ProtocolVersion;
import io.datastream.protocol.codec.CodecType;
import io.datastream.protocol.frame.ErrorFrame;
import io.datastream.protocol.frame.Hello;
import io.datastream.router.auth.AgentCredentials;
import io.datastream.router.auth.Identity;
import io.datastream.router.auth.Refusal;

/** Checks a HELLO: version negotiation, the credential (token or client certificate) against the agent id and host, codecs. */
final class Handshake {
    /** The agreed version and codecs, or the error that ends the connection. */
    record Result(int version, int codecMask, Identity identity, ErrorFrame error, Refusal refusal) {
        boolean ok() {
            return error == null;
        }
    }

    private Handshake() {
    }

    /** @param certificateCn the CN of the agent's verified client certificate, or null */
    static Result check(Hello hello, AgentCredentials credentials, String certificateCn) {
        int version = ProtocolVersion.negotiate(hello.minVersion(), hello.maxVersion(), ProtocolVersion.MIN_SUPPORTED, ProtocolVersion.MAX_SUPPORTED);
        if (version < 0) {
            return refuse(ErrorCode.UNSUPPORTED_VERSION, "the agent speaks protocol versions " + hello.minVersion() + ".." + hello.maxVersion()
                    + ", this router " + ProtocolVersion.MIN_SUPPORTED + ".." + ProtocolVersion.MAX_SUPPORTED);
        }
        AgentCredentials.Check who = credentials.check(hello.authToken(), hello.agentId(), hello.host(), certificateCn);
        if (!who.ok()) {
            return new Result(-1, 0, null, new ErrorFrame(ErrorCode.AUTH_FAILED, who.message()), who.refusal());
        }
        int codecs = hello.codecMask() & CodecType.supportedMask();
        if (codecs == 0) {
            return refuse(ErrorCode.UNSUPPORTED_CODEC, "no codec in common: agent mask 0x" + Integer.toHexString(hello.codecMask())
                    + ", router mask 0x" + Integer.toHexString(CodecType.supportedMask()));
        }
        return new Result(version, codecs, who.identity(), null, null);
    }

    private static Result refuse(ErrorCode code, String message) {
        return new Result(-1, 0, null, new ErrorFrame(code, message), null);
    }
}
