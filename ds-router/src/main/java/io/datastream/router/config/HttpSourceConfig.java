package io.datastream.router.config;

import io.datastream.config.Doc;

import io.datastream.router.channel.FsyncPolicy;
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
 */
public record HttpSourceConfig(
        @Doc("start the HTTP event source")
        Boolean enabled,
        @Doc("address of the HTTP event source")
        String host,
        @Doc("its port; 0 = any free port (`Router.eventsPort()`)")
        Integer port,
        @Doc(value = "its Netty event loops (epoll where available)", defaultText = "min(2, cores)")
        Integer workerThreads,
        @Doc("HTTPS with the router's `tls.certFile`/`tls.keyFile` (needs `tls.enabled`)")
        Boolean tls,
        @Doc("request limits of the HTTP event source")
        HttpSourceLimitsConfig limits,
        @Doc("bearer tokens of clients and the channels each may write; none = loopback clients only")
        List<TokenConfig> tokens,
        @Doc(value = "channels, in memory or in files; each one's keys below", defaultText = "one memory channel `events`")
        List<ChannelConfig> channels,
        @Doc("rules choosing an event's channel; the first match wins")
        List<EventRouteConfig> routes,
        @Doc("channel of events no route takes; `\"\"` = none (400 `no_route`)")
        String defaultChannel,
        @Doc(value = "sinks draining the channels; each one's keys below", defaultText = "a Kafka sink `kafka-events` on `events` writing to `ds-events`")
        List<SinkConfig> sinks) {
    public static final int DEFAULT_PORT = 7102;
    /** {@code channels[i].format} of a channel of agents' batches. */
    public static final String AGENT_BATCHES = "batches";
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9._-]{1,64}");

    public HttpSourceConfig {
        enabled = enabled != null && enabled;
        host = host == null ? "127.0.0.1" : host;
        port = port == null ? DEFAULT_PORT : port;
        workerThreads = workerThreads == null ? Math.min(2, Runtime.getRuntime().availableProcessors()) : workerThreads;
        tls = tls != null && tls;
        limits = limits == null ? new HttpSourceLimitsConfig(null, null, null, null, null, null, null, null, null, null, null, null) : limits;
        tokens = tokens == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(tokens));
        channels = channels == null ? List.of(new ChannelConfig("events", null, null, null, null, null, null, null, null, null)) : Collections.unmodifiableList(new ArrayList<>(channels));
        routes = routes == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(routes));
        defaultChannel = defaultChannel == null ? "events" : defaultChannel;
        sinks = sinks == null ? List.of(new SinkConfig("kafka-events", "events", null, null, null, null, null, null, null, null, null, null, null, null, null, null)) : Collections.unmodifiableList(new ArrayList<>(sinks));
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
        Set<String> fileChannels = new HashSet<>();
        Set<String> dirs = new HashSet<>();
        Set<String> shapedChannels = new HashSet<>();
        Set<String> batchChannels = new HashSet<>();
        for (int i = 0; i < channels.size(); i++) {
            ChannelConfig c = channels.get(i);
            String key = k + ".channels[" + i + "]";
            if (c == null) {
                e.add(key, "must not be empty");
                continue;
            }
            c.validate(e, key);
            if (c.isFile() && c.dir() != null) {
                fileChannels.add(c.name());
                e.check(dirs.add(java.nio.file.Path.of(c.dir()).toAbsolutePath().normalize().toString()), key + ".dir",
                        "is the directory of another channel: '" + c.dir() + "'");
            }
            e.check(c.name() == null || channelNames.add(c.name()), key + ".name", "channel '" + c.name() + "' is defined twice");
            if (c.shape() != null) {
                shapedChannels.add(c.name());
            }
            if (c.holdsAgentBatches()) {
                batchChannels.add(c.name());
            }
        }
        e.check(!channels.isEmpty(), k + ".channels", "must name at least one channel");
        e.check(defaultChannel.isEmpty() || channelNames.contains(defaultChannel), k + ".defaultChannel",
                "names no channel: '" + defaultChannel + "' (channels: " + channelNames + "; \"\" = none)");
        e.check(!batchChannels.contains(defaultChannel), k + ".defaultChannel", "names a channel of agent batches: '" + defaultChannel
                + "' (HTTP events cannot go there)");
        for (int i = 0; i < routes.size(); i++) {
            EventRouteConfig r = routes.get(i);
            String key = k + ".routes[" + i + "]";
            if (r == null) {
                e.add(key, "must not be empty");
                continue;
            }
            e.check(channelNames.contains(r.channel()), key + ".channel", "names no channel: '" + r.channel() + "'");
            e.check(!batchChannels.contains(r.channel()), key + ".channel", "names a channel of agent batches: '" + r.channel()
                    + "' (HTTP events cannot go there)");
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
            e.check(!s.bestEffort() || fileChannels.contains(s.channel()), key + ".bestEffort", "only for sinks of a file channel");
            e.check(!shapedChannels.contains(s.channel()) || !s.type().equals("kafka") || s.partitioner() == null
                            || PartitionerKind.fromConfig(s.partitioner()) == PartitionerKind.SOURCE, key + ".partitioner",
                    "must be source (or absent) on a shaped channel: a group's records must stay in order in one partition");
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
            e.check(t.client() == null || isName(t.client()), key + ".client", "must be 1 to 64 of [a-zA-Z0-9._-]");
            for (String c : t.channels()) {
                e.check(c.equals("*") || channelNames.contains(c), key + ".channels", "names no channel: '" + c + "'");
                e.check(!batchChannels.contains(c), key + ".channels", "names a channel of agent batches: '" + c + "'");
            }
        }
    }

    static boolean isName(String s) {
        return s != null && NAME.matcher(s).matches();
    }

    /**
     * {@code httpSource.channels[i]}.
     */
    public record ChannelConfig(
        @Doc("channel name ([a-zA-Z0-9._-], at most 64)")
        String name,
        @Doc("`memory` (default; also bounded by the router's pool, lost on a crash) or `file` (a file-queue channel in `dir`: survives crashes and restarts)")
        String type,
        @Doc("bound of the events it holds")
        Long capacityBytes,
        @Doc("how events are held: `json` (default) or `binary`; `batches`: the channel holds agents' batches as they sent them "
                + "(routes[].channel), not HTTP events")
        String format,
        @Doc("task id of its events in Kafka")
        String task,
        @Doc("file channels: the directory of its segment and position files (required; one per channel)")
        String dir,
        @Doc("file channels: size of a segment file")
        Integer segmentBytes,
        @Doc("file channels: `never` (default: safe once in the page cache, survives kill -9), `interval` (safe after the next periodic fsync) or `always` (safe after its fsync)")
        String fsync,
        @Doc("file channels with fsync interval: the period")
        Long fsyncIntervalMs,
        @Doc("data shaping for the channel's Kafka sinks ([Data shaping](#data-shaping)); absent = none")
        ShapeConfig shape) {
        public ChannelConfig {
            type = type == null ? "memory" : type;
            capacityBytes = capacityBytes == null ? (type.equals("file") ? 1L << 30 : 64L << 20) : capacityBytes;
            format = format == null ? EventFormat.JSON.configName() : format;
            task = task == null ? "events" : task;
            segmentBytes = segmentBytes == null ? 64 << 20 : segmentBytes;
            fsync = fsync == null ? FsyncPolicy.NEVER.configName() : fsync;
            fsyncIntervalMs = fsyncIntervalMs == null ? 1000L : fsyncIntervalMs;
        }

        /** The format of its events; a channel of agent batches stores opaque DSB1 batches and says BINARY. */
        public EventFormat eventFormat() {
            return holdsAgentBatches() ? EventFormat.BINARY : EventFormat.fromConfig(format);
        }

        /** Whether the channel holds agents' batches ({@code format: batches}) rather than HTTP events. */
        public boolean holdsAgentBatches() {
            return AGENT_BATCHES.equals(format);
        }

        public boolean isFile() {
            return type.equals("file");
        }

        public FsyncPolicy fsyncPolicy() {
            return FsyncPolicy.fromConfig(fsync);
        }

        void validate(ConfigErrors e, String key) {
            e.check(isName(name), key + ".name", "must be 1-64 of a-zA-Z0-9._-, was '" + name + "'");
            e.check(type.equals("memory") || type.equals("file"), key + ".type", "must be memory or file, was '" + type + "'");
            e.between(capacityBytes, 1L << 20, 1L << 40, key + ".capacityBytes");
            e.check(eventFormat() != null, key + ".format", "must be json, binary or batches, was '" + format + "'");
            e.check(shape == null || !holdsAgentBatches(), key + ".shape", "not for a channel of agent batches (format batches)");
            e.check(!task.isBlank() && task.length() <= 255, key + ".task", "must be 1-255 characters");
            if (isFile()) {
                e.check(dir != null && !dir.isBlank(), key + ".dir", "is required for a file channel");
                e.between(segmentBytes, 1L << 20, 1L << 30, key + ".segmentBytes");
                e.check(capacityBytes >= 2L * segmentBytes, key + ".capacityBytes", "must be at least 2 x segmentBytes (" + 2L * segmentBytes + ")");
                e.check(fsyncPolicy() != null, key + ".fsync", "must be never, interval or always, was '" + fsync + "'");
                e.between(fsyncIntervalMs, 1, 60_000, key + ".fsyncIntervalMs");
            } else {
                e.check(dir == null, key + ".dir", "only for type file");
            }
            if (shape != null) {
                shape.validate(e, key + ".shape");
            }
        }
    }

    /**
     * {@code httpSource.channels[i].shape}: the channel's Kafka sinks pack events with the same
     * value of header {@code groupBy} into records of about {@code targetBytes}, across
     * interleaved events, waiting at most {@code maxDelayMs} for a record to fill.
     */
    public record ShapeConfig(
        @Doc("the header whose value groups events (events without it form one group)")
        String groupBy,
        @Doc("uncompressed size of a record (1 KiB .. 16 MiB; default 262144)")
        Integer targetBytes,
        @Doc("longest time an event waits in a partly filled record (1 .. 60000; default 500)")
        Long maxDelayMs,
        @Doc("bound of the events held in partly filled records by one sink; past it the oldest group is written at once")
        Long maxBufferedBytes) {
        public ShapeConfig {
            targetBytes = targetBytes == null ? 256 << 10 : targetBytes;
            maxDelayMs = maxDelayMs == null ? 500L : maxDelayMs;
            maxBufferedBytes = maxBufferedBytes == null ? 32L << 20 : maxBufferedBytes;
        }

        void validate(ConfigErrors e, String key) {
            e.check(groupBy != null && !groupBy.isBlank() && groupBy.length() <= 255, key + ".groupBy", "must name a header (1-255 characters)");
            e.between(targetBytes, 1L << 10, 16L << 20, key + ".targetBytes");
            e.between(maxDelayMs, 1, 60_000, key + ".maxDelayMs");
            e.between(maxBufferedBytes, 2L * targetBytes, 1L << 34, key + ".maxBufferedBytes");
        }
    }

    /**
     * {@code httpSource.routes[i]}: events matching {@code when} (on their headers) go to {@code channel}.
     */
    public record EventRouteConfig(
        @Doc("expression over `header.NAME`; absent = every event")
        String when,
        @Doc("channel name")
        String channel) {
    }

    /**
     * {@code httpSource.tokens[i]}: a client's bearer token and the channels it may write.
     */
    public record TokenConfig(
        @Doc("the secret (at least 8 characters), sent as `Authorization: Bearer <token>`")
        String token,
        @Doc("channel names, or \"*\" for all")
        List<String> channels,
        @Doc(value = "the client's name, the scope of its event ids (`ds.eventId`: two clients' equal ids are different events); give the "
                + "old and the new token of a client the same name when rotating it, so that a retry across the rotation is still recognised",
                defaultText = "`token-` and the first 12 hex digits of the token's SHA-256")
        String client) {
        public TokenConfig {
            channels = channels == null ? List.of("*") : List.copyOf(channels);
        }

        /** {@code client}, or the default derived from the token. */
        public String clientName() {
            if (client != null) {
                return client;
            }
            try {
                byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(token.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                return "token-" + java.util.HexFormat.of().formatHex(h, 0, 6);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is part of every JVM", e);
            }
        }

        @Override
        public String toString() {
            return "TokenConfig[token=***, channels=" + channels + ", client=" + client + "]";
        }
    }

    /**
     * {@code httpSource.sinks[i]}. Kafka keys: topic, partitioner, codec, maxBatchBytes; webhook keys:
     * url, batchEvents, timeoutMs, retryBackoffMs, maxRetryBackoffMs; file keys: dir, rollBytes,
     * rollIntervalMs.
     */
    public record SinkConfig(
        @Doc("sink name")
        String name,
        @Doc("the channel it drains")
        String channel,
        @Doc("`kafka` (default), `webhook` (batched HTTP POSTs of NDJSON), `file` (rolling NDJSON files) or `discard` (commits without writing: benchmarks)")
        String type,
        @Doc("topic template over `{header.NAME}`")
        String topic,
        @Doc(value = "`source`, `round-robin` or `load-aware` (`source` only, on a shaped channel)", defaultText = "`kafka.partitioner`")
        String partitioner,
        @Doc("DSB1 payload codec: none, lz4 (default) or zstd")
        String codec,
        @Doc("most uncompressed bytes of events per Kafka record or webhook POST")
        Integer maxBatchBytes,
        @Doc("file channels: when this sink holds the channel full, drop its oldest events (counted) instead of refusing new ones")
        Boolean bestEffort,
        @Doc("webhook: the http:// or https:// URL events are POSTed to")
        String url,
        @Doc("webhook: most events per POST")
        Integer batchEvents,
        @Doc("webhook: timeout of one POST")
        Long timeoutMs,
        @Doc("webhook: first pause after a failed POST, doubled each time")
        Long retryBackoffMs,
        @Doc("webhook: longest pause; retries never stop")
        Long maxRetryBackoffMs,
        @Doc("file: directory of the files")
        String dir,
        @Doc("file: start a new file past this size")
        Long rollBytes,
        @Doc("file: start a new file after this time")
        Long rollIntervalMs) {
        public SinkConfig {
            type = type == null ? "kafka" : type;
            topic = topic == null ? "ds-events" : topic;
            codec = codec == null ? "lz4" : codec;
            maxBatchBytes = maxBatchBytes == null ? 900_000 : maxBatchBytes;
            bestEffort = bestEffort != null && bestEffort;
            batchEvents = batchEvents == null ? 500 : batchEvents;
            timeoutMs = timeoutMs == null ? 10_000L : timeoutMs;
            retryBackoffMs = retryBackoffMs == null ? 500L : retryBackoffMs;
            maxRetryBackoffMs = maxRetryBackoffMs == null ? 30_000L : maxRetryBackoffMs;
            rollBytes = rollBytes == null ? 128L << 20 : rollBytes;
            rollIntervalMs = rollIntervalMs == null ? 3_600_000L : rollIntervalMs;
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

        private static final Set<String> TYPES = Set.of("kafka", "webhook", "file", "discard");

        private static boolean validUri(String u) {
            try {
                java.net.URI uri = new java.net.URI(u);
                return uri.getHost() != null;
            } catch (java.net.URISyntaxException ex) {
                return false;
            }
        }

        void validate(ConfigErrors e, String key, HttpSourceLimitsConfig limits) {
            e.check(isName(name), key + ".name", "must be 1-64 of a-zA-Z0-9._-, was '" + name + "'");
            e.check(TYPES.contains(type), key + ".type", "must be kafka, webhook, file or discard, was '" + type + "'");
            if (type.equals("webhook")) {
                e.check(url != null && (url.startsWith("http://") || url.startsWith("https://")) && validUri(url), key + ".url",
                        "must be an http:// or https:// URL, was '" + url + "'");
                e.between(batchEvents, 1, 100_000, key + ".batchEvents");
                e.between(timeoutMs, 100, 600_000, key + ".timeoutMs");
                e.between(retryBackoffMs, 1, 600_000, key + ".retryBackoffMs");
                e.between(maxRetryBackoffMs, retryBackoffMs, 3_600_000, key + ".maxRetryBackoffMs");
            } else {
                e.check(url == null, key + ".url", "only for type webhook");
            }
            if (type.equals("file")) {
                e.check(dir != null && !dir.isBlank(), key + ".dir", "is required for a file sink");
                e.between(rollBytes, 1024, 1L << 40, key + ".rollBytes");
                e.between(rollIntervalMs, 1000, 7L * 24 * 3_600_000, key + ".rollIntervalMs");
            } else {
                e.check(dir == null, key + ".dir", "only for type file");
            }
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
