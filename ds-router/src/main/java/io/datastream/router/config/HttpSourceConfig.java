package io.datastream.router.config;

import io.datastream.router.event.EventFormat;
import io.datastream.router.event.Event;
import io.datastream.router.route.ExpressionCompiler;
import io.datastream.router.route.ExpressionException;
import io.datastream.router.route.Fields;
import io.datastream.router.route.TopicTemplate;
import io.datastream.protocol.codec.CodecType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code httpSource.*}: the HTTP event source, its channels, routes and sinks. Off by default;
 * {@link #enabledDefaults()} is the standalone setup: 127.0.0.1:7102, one memory channel
 * {@code events} drained by a Kafka sink into {@code ds-events}, loopback clients only.
 *
 * @param enabled        start the source (default false)
 * @param host           address to bind (default 127.0.0.1)
 * @param port           port (default 7102; 0 = any free port)
 * @param workerThreads  event loops (default min(2, cores))
 * @param tls            serve HTTPS with the router's {@code tls.*} certificate (default false)
 * @param limits         request limits
 * @param tokens         client tokens; none = only loopback clients are accepted
 * @param channels       channels (default: one memory channel "events")
 * @param routes         rules choosing an event's channel, first match wins
 * @param defaultChannel channel of events no rule takes (default "events"; "" = none: refused)
 * @param sinks          sinks (default: a Kafka sink on "events" writing to ds-events)
 */
public record HttpSourceConfig(Boolean enabled, String host, Integer port, Integer workerThreads, Boolean tls,
                               HttpSourceLimitsConfig limits, List<TokenConfig> tokens, List<ChannelConfig> channels,
                               List<EventRouteConfig> routes, String defaultChannel, List<SinkConfig> sinks) {
    public static final int DEFAULT_PORT = 7102;
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9._-]{1,64}");

    public HttpSourceConfig {
        enabled = enabled != null && enabled;
        host = host == null ? "127.0.0.1" : host;
        port = port == null ? DEFAULT_PORT : port;
        workerThreads = workerThreads == null ? Math.min(2, Runtime.getRuntime().availableProcessors()) : workerThreads;
        tls = tls != null && tls;
        limits = limits == null ? new HttpSourceLimitsConfig(null, null, null, null, null, null, null, null, null, null, null) : limits;
        tokens = tokens == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(tokens));
        channels = channels == null ? List.of(new ChannelConfig("events", null, null, null, null)) : Collections.unmodifiableList(new ArrayList<>(channels));
        routes = routes == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(routes));
        defaultChannel = defaultChannel == null ? "events" : defaultChannel;
        sinks = sinks == null ? List.of(new SinkConfig("kafka-events", "events", null, null, null, null, null)) : Collections.unmodifiableList(new ArrayList<>(sinks));
    }

    /** Off: the router has no HTTP source. */
    public static HttpSourceConfig disabled() {
        return new HttpSourceConfig(false, null, null, null, null, null, null, null, null, null, null);
    }

    /** On, with every default (the standalone setup). */
    public static HttpSourceConfig enabledDefaults() {
        return new HttpSourceConfig(true, null, null, null, null, null, null, null, null, null, null);
    }

    /** The same configuration on another address (0 = any free port). */
    public HttpSourceConfig withAddress(String newHost, int newPort) {
        return new HttpSourceConfig(enabled, newHost, newPort, workerThreads, tls, limits, tokens, channels, routes, defaultChannel, sinks);
    }

    public void validate(ConfigErrors e, TlsConfig routerTls) {
        if (!enabled) {
            return;
        }
        String k = "httpSource";
        e.notBlank(host, k + ".host");
        e.port(port, k + ".port");
        e.between(workerThreads, 1, 64, k + ".workerThreads");
        e.check(!tls || routerTls.enabled(), k + ".tls", "needs tls.enabled with tls.certFile and tls.keyFile (the router's certificate is used)");
        limits.validate(e);
        Set<String> channelNames = new HashSet<>();
        for (int i = 0; i < channels.size(); i++) {
            ChannelConfig c = channels.get(i);
            String key = k + ".channels[" + i + "]";
            if (c == null) {
                e.add(key, "must not be empty");
                continue;
            }
            c.validate(e, key);
            e.check(c.name() == null || channelNames.add(c.name()), key + ".name", "channel '" + c.name() + "' is defined twice");
        }
        e.check(!channels.isEmpty(), k + ".channels", "must name at least one channel");
        e.check(defaultChannel.isEmpty() || channelNames.contains(defaultChannel), k + ".defaultChannel",
                "names no channel: '" + defaultChannel + "' (channels: " + channelNames + "; \"\" = none)");
        for (int i = 0; i < routes.size(); i++) {
            EventRouteConfig r = routes.get(i);
            String key = k + ".routes[" + i + "]";
            if (r == null) {
                e.add(key, "must not be empty");
                continue;
            }
            e.check(channelNames.contains(r.channel()), key + ".channel", "names no channel: '" + r.channel() + "'");
            if (r.when() != null) {
                try {
                    ExpressionCompiler.compile(r.when(), Fields.EVENT);
                } catch (ExpressionException ex) {
                    e.add(key + ".when", ex.getMessage());
                }
            }
        }
        Set<String> sinkNames = new HashSet<>();
        Set<String> drained = new HashSet<>();
        for (int i = 0; i < sinks.size(); i++) {
            SinkConfig s = sinks.get(i);
            String key = k + ".sinks[" + i + "]";
            if (s == null) {
                e.add(key, "must not be empty");
                continue;
            }
            s.validate(e, key, limits);
            e.check(s.name() == null || sinkNames.add(s.name()), key + ".name", "sink '" + s.name() + "' is defined twice");
            e.check(channelNames.contains(s.channel()), key + ".channel", "names no channel: '" + s.channel() + "'");
            drained.add(s.channel());
        }
        for (String c : channelNames) {
            e.check(drained.contains(c), k + ".sinks", "channel '" + c + "' has no sink: its events would never be safe");
        }
        for (int i = 0; i < tokens.size(); i++) {
            TokenConfig t = tokens.get(i);
            String key = k + ".tokens[" + i + "]";
            if (t == null) {
                e.add(key, "must not be empty");
                continue;
            }
            e.check(t.token() != null && t.token().length() >= 8, key + ".token", "must be at least 8 characters");
            for (String c : t.channels()) {
                e.check(c.equals("*") || channelNames.contains(c), key + ".channels", "names no channel: '" + c + "'");
            }
        }
    }

    static boolean isName(String s) {
        return s != null && NAME.matcher(s).matches();
    }

    /**
     * {@code httpSource.channels[i]}.
     *
     * @param name          channel name ([a-zA-Z0-9._-], at most 64)
     * @param type          {@code memory} (the only type so far)
     * @param capacityBytes bound of the events it holds (default 64 MiB); also taken from the router's pool
     * @param format        how events are held: {@code json} (default) or {@code binary}
     * @param task          task id of its events in Kafka (default "events")
     */
    public record ChannelConfig(String name, String type, Long capacityBytes, String format, String task) {
        public ChannelConfig {
            type = type == null ? "memory" : type;
            capacityBytes = capacityBytes == null ? 64L << 20 : capacityBytes;
            format = format == null ? EventFormat.JSON.configName() : format;
            task = task == null ? "events" : task;
        }

        public EventFormat eventFormat() {
            return EventFormat.fromConfig(format);
        }

        void validate(ConfigErrors e, String key) {
            e.check(isName(name), key + ".name", "must be 1-64 of a-zA-Z0-9._-, was '" + name + "'");
            e.check(type.equals("memory"), key + ".type", "must be memory, was '" + type + "'");
            e.between(capacityBytes, 1L << 20, 1L << 40, key + ".capacityBytes");
            e.check(eventFormat() != null, key + ".format", "must be json or binary, was '" + format + "'");
            e.check(!task.isBlank() && task.length() <= 255, key + ".task", "must be 1-255 characters");
        }
    }

    /**
     * {@code httpSource.routes[i]}: events matching {@code when} (on their headers) go to {@code channel}.
     *
     * @param when    expression over {@code header.NAME}; absent = every event
     * @param channel channel name
     */
    public record EventRouteConfig(String when, String channel) {
    }

    /**
     * {@code httpSource.tokens[i]}: a client's bearer token and the channels it may write.
     *
     * @param token    the secret (at least 8 characters), sent as {@code Authorization: Bearer <token>}
     * @param channels channel names, or "*" for all
     */
    public record TokenConfig(String token, List<String> channels) {
        public TokenConfig {
            channels = channels == null ? List.of("*") : List.copyOf(channels);
        }

        @Override
        public String toString() {
            return "TokenConfig[token=***, channels=" + channels + "]";
        }
    }

    /**
     * {@code httpSource.sinks[i]}.
     *
     * @param name          sink name
     * @param channel       the channel it drains
     * @param type          {@code kafka} (default) or {@code discard} (commits without writing: benchmarks)
     * @param topic         topic template over {@code {header.NAME}} (default ds-events)
     * @param partitioner   source (default kafka.partitioner), round-robin or load-aware
     * @param codec         DSB1 payload codec: none, lz4 (default) or zstd
     * @param maxBatchBytes most uncompressed bytes of events per Kafka record (default 900000)
     */
    public record SinkConfig(String name, String channel, String type, String topic, String partitioner, String codec, Integer maxBatchBytes) {
        public SinkConfig {
            type = type == null ? "kafka" : type;
            topic = topic == null ? "ds-events" : topic;
            codec = codec == null ? "lz4" : codec;
            maxBatchBytes = maxBatchBytes == null ? 900_000 : maxBatchBytes;
        }

        public CodecType codecType() {
            for (CodecType c : CodecType.values()) {
                if (c.name().equalsIgnoreCase(codec)) {
                    return c;
                }
            }
            return null;
        }

        /** The compiled topic template (the configuration is valid). */
        public TopicTemplate<Event> topicTemplate() {
            try {
                return TopicTemplate.compile(topic, Fields.EVENT);
            } catch (ExpressionException ex) {
                throw new IllegalStateException(ex);
            }
        }

        void validate(ConfigErrors e, String key, HttpSourceLimitsConfig limits) {
            e.check(isName(name), key + ".name", "must be 1-64 of a-zA-Z0-9._-, was '" + name + "'");
            e.check(type.equals("kafka") || type.equals("discard"), key + ".type", "must be kafka or discard, was '" + type + "'");
            try {
                TopicTemplate.compile(topic, Fields.EVENT);
            } catch (ExpressionException ex) {
                e.add(key + ".topic", ex.getMessage());
            }
            e.check(partitioner == null || PartitionerKind.fromConfig(partitioner) != null, key + ".partitioner",
                    "must be source, round-robin or load-aware, was '" + partitioner + "'");
            e.check(codecType() != null, key + ".codec", "must be none, lz4 or zstd, was '" + codec + "'");
            e.between(maxBatchBytes, 64 << 10, 64 << 20, key + ".maxBatchBytes");
            e.check(maxBatchBytes >= limits.maxEventBytes() + 64, key + ".maxBatchBytes",
                    "must be at least httpSource.limits.maxEventBytes + 64 (" + (limits.maxEventBytes() + 64) + ") so that any event fits");
        }
    }
}
