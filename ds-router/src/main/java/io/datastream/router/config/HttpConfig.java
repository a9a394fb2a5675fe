package io.datastream.router.config;

/**
 * {@code http.*}: the health and metrics endpoint.
 *
 * @param host address to bind (default 0.0.0.0)
 * @param port port to bind (default 7101; 0 = any free port)
 */
public record HttpConfig(String host, Integer port) {
    public HttpConfig {
        host = host == null ? "127.0.0.1" : host;
        port = port == null ? 7101 : port;
    }

    public void validate(ConfigErrors e) {
        e.notBlank(host, "http.host");
        e.port(port, "http.port");
    }
}
