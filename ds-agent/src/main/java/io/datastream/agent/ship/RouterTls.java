package io.datastream.agent.ship;

import io.datastream.agent.AgentConfig.TlsOptions;
import io.datastream.agent.config.ConfigException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.File;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;

/**
 * The agent's TLS client context (JDK provider), and one-line explanations of handshake failures.
 * Hostname verification ({@code HTTPS} endpoint identification) is on unless
 * {@code tls.verifyHostname: false}.
 */
final class RouterTls {
    private RouterTls() {
    }

    /** The client context for {@code tls}, or null when TLS is off. @throws ConfigException naming the key of a bad file */
    static SslContext context(TlsOptions tls) {
        if (!tls.enabled()) {
            return null;
        }
        SslContextBuilder b = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).protocols("TLSv1.3", "TLSv1.2")
                .endpointIdentificationAlgorithm(tls.verifyHostname() ? "HTTPS" : null);
        if (!tls.caFile().isEmpty()) {
            try {
                b.trustManager(new File(tls.caFile()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("tls.caFile: cannot read PEM certificates from '" + tls.caFile() + "': " + rootMessage(e));
            }
        }
        if (tls.clientCertificate()) {
            try {
                b.keyManager(new File(tls.certFile()), new File(tls.keyFile()), tls.keyPassword().isEmpty() ? null : tls.keyPassword());
            } catch (IllegalArgumentException e) {
                throw new ConfigException("tls.certFile: cannot read the certificate '" + tls.certFile() + "' and key '" + tls.keyFile()
                        + "': " + rootMessage(e));
            }
        }
        try {
            return b.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new ConfigException("tls: cannot build the TLS context: " + rootMessage(e));
        }
    }

    /** Why a TLS handshake failed, in one line for an operator. */
    static String explain(Throwable cause, String peer) {
        if (has(cause, NotSslRecordException.class)) {
            return "the router did not answer with TLS (is tls.enabled set on the router?)";
        }
        if (has(cause, CertPathBuilderException.class) || has(cause, CertPathValidatorException.class)) {
            return "the router's certificate is not signed by a CA in tls.caFile (" + rootMessage(cause) + ")";
        }
        String root = rootMessage(cause);
        if (has(cause, CertificateException.class) && (root.contains("No subject alternative") || root.contains("No name matching"))) {
            return "the router's certificate does not name '" + peer + "' (fix the certificate or set tls.serverName) (" + root + ")";
        }
        if (root.contains("certificate_required") || root.contains("bad_certificate") || root.contains("unknown_ca")
                || root.contains("certificate_unknown")) {
            return "the router refused this agent's certificate (tls.certFile; " + root + ")";
        }
        return root;
    }

    private static boolean has(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        String m = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
