package io.datastream.router.config;

import io.datastream.config.Doc;

import java.util.Locale;

/**
 * {@code listen.*}: the ds protocol server.
 */
public record ListenConfig(
        @Doc("address of the ds protocol server; `0.0.0.0` (or an interface's address) for agents on other hosts")
        String host,
        @Doc("port of the ds protocol server; 0 = any free port (`Router.port()` tells)")
        Integer port,
        @Doc(value = "Netty worker event loops", defaultText = "min(4, cores)")
        Integer workerThreads,
        @Doc("`auto` (epoll where available, else NIO), `epoll`, `nio`")
        String transport) {
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
