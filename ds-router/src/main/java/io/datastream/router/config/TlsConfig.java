package io.datastream.router.config;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code tls.*}: TLS on the ds protocol port.
 *
 * @param enabled     off by default
 * @param certFile    PEM certificate chain
 * @param keyFile     PEM private key (PKCS#8)
 * @param keyPassword password of an encrypted key file, or null
 */
public record TlsConfig(Boolean enabled, String certFile, String keyFile, String keyPassword) {
    public TlsConfig {
        enabled = enabled != null && enabled;
    }

    public void validate(ConfigErrors e) {
        if (!enabled) {
            return;
        }
        readable(e, certFile, "tls.certFile");
        readable(e, keyFile, "tls.keyFile");
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
        return "TlsConfig[enabled=" + enabled + ", certFile=" + certFile + ", keyFile=" + keyFile + "]";
    }
}
