package io.datastream.router.server;

import io.datastream.router.config.TlsConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.File;
import javax.net.ssl.SSLException;

/** The server's TLS context from PEM files. */
public final class TlsContexts {
    private TlsContexts() {
    }

    /** The context for {@code tls}, or null when TLS is off. */
    public static SslContext server(TlsConfig tls) throws SSLException {
        if (!tls.enabled()) {
            return null;
        }
        return SslContextBuilder.forServer(new File(tls.certFile()), new File(tls.keyFile()), tls.keyPassword()).build();
    }
}
