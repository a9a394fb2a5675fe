package io.datastream.router.config;

import java.util.Locale;

/**
 * {@code listen.*}: the ds protocol server.
 *
 * @param host          address to bind (default 0.0.0.0)
 * @param port          port to bind (default 7100; 0 = any free port)
 * @param workerThreads Netty worker threads (default min(4, cores))
 * @param transport     {@code auto} (epoll where available, else NIO), {@code epoll} or {@code nio}
 */
public record ListenConfig(String host, Integer port, Integer workerThreads, String transport) {
    public ListenConfig {
        host = host == null ? "127.0.0.1" : host;
        port = port == null ? 7100 : port;
        workerThreads = workerThreads == null ? Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())) : workerThreads;
        transport = transport == null ? "auto" : transport.toLowerCase(Locale.ROOT);
    }

    public void validate(ConfigErrors e) {
        e.notBlank(host, "listen.host");
        e.port(port, "listen.port");
        e.between(workerThreads, 1, 256, "listen.workerThreads");
        e.check(transport.equals("auto") || transport.equals("epoll") || transport.equals("nio"), "listen.transport",
                "must be auto, epoll or nio, was '" + transport + "'");
    }
}
