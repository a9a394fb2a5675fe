package io.datastream.router.server;

import io.datastream.router.config.TlsConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.File;
import javax.net.ssl.SSLException;

/** The server's TLS contexts from PEM files. */
public final class TlsContexts {
    private TlsContexts() {
    }

    /** The context for {@code tls} (the HTTPS event source: no client certificates), or null when TLS is off. */
    public static SslContext server(TlsConfig tls) throws SSLException {
        if (!tls.enabled()) {
            return null;
        }
        return SslContextBuilder.forServer(new File(tls.certFile()), new File(tls.keyFile()), tls.keyPassword()).build();
    }

    /**
     * The context of the ds protocol port: {@link #server} plus, with {@code tls.clientAuth}
     * optional or require, agents' certificates checked against {@code tls.clientCaFile}.
     */
    public static SslContext agents(TlsConfig tls) throws SSLException {
        if (!tls.enabled()) {
            return null;
        }
        SslContextBuilder b = SslContextBuilder.forServer(new File(tls.certFile()), new File(tls.keyFile()), tls.keyPassword());
        if (tls.clientCertificates()) {
            b.trustManager(new File(tls.clientCaFile()))
                    .clientAuth("require".equals(tls.clientAuth()) ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
        }
        return b.build();
    }
}
