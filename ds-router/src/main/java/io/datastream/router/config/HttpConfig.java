package io.datastream.router.config;

import io.datastream.config.Doc;

/**
 * {@code http.*}: the health and metrics endpoint.
 */
public record HttpConfig(
        @Doc("address of the metrics and health endpoint; `0.0.0.0` for HAProxy checks and Prometheus from other hosts")
        String host,
        @Doc("its port; 0 = any free port (`Router.httpPort()`)")
        Integer port) {
    public HttpConfig {
        host = host == null ? "127.0.0.1" : host;
        port = port == null ? 7101 : port;
    }

    public void validate(ConfigErrors e) {
        e.notBlank(host, "http.host");
        e.port(port, "http.port");
    }
}
