package io.datastream.router.config;

import io.datastream.config.Doc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code tls.*}: TLS on the ds protocol port.
 */
public record TlsConfig(
        @Doc("TLS on the ds port")
        Boolean enabled,
        @Doc("PEM certificate chain")
        String certFile,
        @Doc("PEM private key (PKCS#8)")
        String keyFile,
        @Doc("password of an encrypted key file, or null")
        String keyPassword,
        @Doc("PEM CA certificates that agents' certificates must chain to (mutual TLS), or null")
        String clientCaFile,
        @Doc(defaultText = "`require` with `tls.clientCaFile`, else `none`", value = "`none`, `optional` or `require`: whether agents must present a certificate")
        String clientAuth) {
    public TlsConfig {
        enabled = enabled != null && enabled;
        clientAuth = clientAuth == null ? (clientCaFile == null || clientCaFile.isBlank() ? "none" : "require")
                : clientAuth.toLowerCase(Locale.ROOT);
    }

    /** TLS off. */
    public static TlsConfig off() {
        return new TlsConfig(null, null, null, null, null, null);
    }

    /** Whether agents are asked for a certificate. */
    public boolean clientCertificates() {
        return enabled && !"none".equals(clientAuth);
    }

    public void validate(ConfigErrors e) {
        e.check("none".equals(clientAuth) || "optional".equals(clientAuth) || "require".equals(clientAuth), "tls.clientAuth",
                "must be none, optional or require, was '" + clientAuth + "'");
        if (!enabled) {
            return;
        }
        readable(e, certFile, "tls.certFile");
        readable(e, keyFile, "tls.keyFile");
        if (!"none".equals(clientAuth)) {
            readable(e, clientCaFile, "tls.clientCaFile");
        } else {
            e.check(clientCaFile == null || clientCaFile.isBlank(), "tls.clientCaFile", "is set but tls.clientAuth is none");
        }
    }

    private static void readable(ConfigErrors e, String file, String key) {
        if (file == null || file.isBlank()) {
            e.add(key, "must be set when tls.enabled is true");
        } else if (!Files.isReadable(Path.of(file))) {
            e.add(key, "file '" + file + "' does not exist or is not readable");
        }
    }

    @Override
    public String toString() {
        return "TlsConfig[enabled=" + enabled + ", certFile=" + certFile + ", keyFile=" + keyFile + ", clientCaFile=" + clientCaFile
                + ", clientAuth=" + clientAuth + "]";
    }
}
