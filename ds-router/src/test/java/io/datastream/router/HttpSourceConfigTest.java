package io.datastream.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datastream.router.config.ConfigException;
import io.datastream.router.config.HttpSourceConfig;
import io.datastream.router.event.EventFormat;
import org.junit.jupiter.api.Test;

class HttpSourceConfigTest {
    @Test
    void offByDefaultAndSecureDefaultsWhenOn() {
        assertThat(RouterConfig.defaults().httpSource().enabled()).isFalse();
        RouterConfig c = RouterConfig.defaults().withHttpSource(HttpSourceConfig.enabledDefaults()).validate();
        HttpSourceConfig h = c.httpSource();
        assertThat(h.enabled()).isTrue();
        assertThat(h.host()).isEqualTo("127.0.0.1");
        assertThat(h.port()).isEqualTo(7102);
        assertThat(h.tokens()).isEmpty();
        assertThat(h.defaultChannel()).isEqualTo("events");
        assertThat(h.channels()).singleElement().satisfies(ch -> {
            assertThat(ch.name()).isEqualTo("events");
            assertThat(ch.task()).isEqualTo("events");
            assertThat(ch.eventFormat()).isEqualTo(EventFormat.JSON);
            assertThat(ch.capacityBytes()).isEqualTo(64L << 20);
        });
        assertThat(h.sinks()).singleElement().satisfies(s -> {
            assertThat(s.type()).isEqualTo("kafka");
            assertThat(s.topic()).isEqualTo("ds-events");
            assertThat(s.channel()).isEqualTo("events");
        });
        assertThat(h.limits().maxBodyBytes()).isEqualTo(4 << 20);
        assertThat(RouterConfig.fromYaml("httpSource: {enabled: true}").httpSource()).isEqualTo(h);
    }

    @Test
    void readsEveryKey() {
        HttpSourceConfig h = RouterConfig.fromYaml("""
                httpSource:
                  enabled: true
                  host: 0.0.0.0
                  port: 7200
                  workerThreads: 3
                  limits: {maxBodyBytes: 2048, maxDecompressedBytes: 4096, maxEventsPerRequest: 5, maxEventBytes: 1000,
                           maxHeadersPerEvent: 3, maxHeaderBytes: 100, requestTimeoutMs: 500, idleTimeoutMs: 600, ackTimeoutMs: 700,
                           maxConnections: 9, retryAfterSeconds: 2}
                  tokens: [{token: "0123456789", channels: [jvm]}]
                  channels: [{name: jvm, capacityBytes: 2097152, format: binary, task: jvm-task}, {name: other}]
                  routes: [{when: 'header.logType == "jvm"', channel: jvm}]
                  defaultChannel: other
                  sinks:
                    - {name: a, channel: jvm, topic: "ds-{header.logType}", partitioner: round-robin, codec: zstd, maxBatchBytes: 100000}
                    - {name: b, channel: other, type: discard}
                """).httpSource();
        assertThat(h.workerThreads()).isEqualTo(3);
        assertThat(h.limits().retryAfterSeconds()).isEqualTo(2);
        assertThat(h.tokens().get(0).channels()).containsExactly("jvm");
        assertThat(h.tokens().get(0).toString()).doesNotContain("0123456789");
        assertThat(h.tokens().get(0).clientName()).as("default client: from the token's SHA-256").matches("token-[0-9a-f]{12}")
                .isEqualTo(new HttpSourceConfig.TokenConfig("0123456789", null, null).clientName());
        assertThat(h.channels().get(0).eventFormat()).isEqualTo(EventFormat.BINARY);
        assertThat(h.sinks().get(0).topicTemplate().isConstant()).isFalse();
        assertThat(h.sinks().get(1).type()).isEqualTo("discard");
    }

    @Test
    void everyProblemIsReportedWithItsPath() {
        assertThatThrownBy(() -> RouterConfig.fromYaml("""
                httpSource:
                  enabled: true
                  port: 70000
                  limits: {maxBodyBytes: 10, maxInFlightBodyBytes: 100}
                  tokens: [{token: short, channels: [nope], client: "a b"}]
                  channels: [{name: a}, {name: a}, {name: "bad name", format: xml}]
                  routes: [{when: 'task == "x"', channel: a}, {when: 'header.x = "y"', channel: missing}]
                  defaultChannel: none
                  sinks: [{name: s, channel: a, topic: "ds-{host}", codec: brotli}]
                """)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("httpSource.port: must be in [0, 65535]")
                .hasMessageContaining("httpSource.limits.maxBodyBytes")
                .hasMessageContaining("httpSource.tokens[0].token: must be at least 8 characters")
                .hasMessageContaining("httpSource.tokens[0].channels: names no channel: 'nope'")
                .hasMessageContaining("httpSource.tokens[0].client: must be 1 to 64 of [a-zA-Z0-9._-]")
                .hasMessageContaining("httpSource.limits.maxInFlightBodyBytes: must be in maxDecompressedBytes")
                .hasMessageContaining("httpSource.channels[1].name: channel 'a' is defined twice")
                .hasMessageContaining("httpSource.channels[2].name")
                .hasMessageContaining("httpSource.channels[2].format: must be json, binary or batches")
                .hasMessageContaining("httpSource.routes[0].when: at position 1: unknown field 'task'")
                .hasMessageContaining("httpSource.routes[1].when: at position 10")
                .hasMessageContaining("httpSource.routes[1].channel: names no channel: 'missing'")
                .hasMessageContaining("httpSource.defaultChannel: names no channel: 'none'")
                .hasMessageContaining("httpSource.sinks[0].topic: at position 4: unknown placeholder {host}")
                .hasMessageContaining("httpSource.sinks[0].codec")
                .hasMessageContaining("httpSource.sinks: channel 'bad name' has no sink");
        assertThatThrownBy(() -> RouterConfig.fromYaml("httpSource: {enabled: true, chanels: []}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("httpSource.chanels: unknown key");
        assertThatThrownBy(() -> RouterConfig.fromYaml("httpSource: {enabled: true, tls: true}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("httpSource.tls: needs tls.enabled");
    }

    @Test
    void fileChannelsAndWebhookAndFileSinksAreReadAndCheckedAllAtOnce() {
        HttpSourceConfig h = RouterConfig.fromYaml("""
                httpSource:
                  enabled: true
                  channels:
                    - {name: events, type: file, dir: /var/lib/ds/events, capacityBytes: 4194304, segmentBytes: 1048576, fsync: interval,
                       fsyncIntervalMs: 200}
                  sinks:
                    - {name: k, channel: events}
                    - {name: hook, channel: events, type: webhook, url: "http://127.0.0.1:9000/alarm", batchEvents: 10, bestEffort: true}
                    - {name: files, channel: events, type: file, dir: /var/lib/ds/out, rollBytes: 65536}
                """).validate().httpSource();
        HttpSourceConfig.ChannelConfig c = h.channels().get(0);
        assertThat(c.isFile()).isTrue();
        assertThat(c.fsyncPolicy()).isEqualTo(io.datastream.router.channel.FsyncPolicy.INTERVAL);
        assertThat(c.fsyncIntervalMs()).isEqualTo(200);
        assertThat(h.sinks().get(1).bestEffort()).isTrue();
        assertThat(h.sinks().get(1).retryBackoffMs()).isEqualTo(500);
        assertThat(h.sinks().get(2).rollIntervalMs()).isEqualTo(3_600_000);
        assertThat(RouterConfig.fromYaml("httpSource: {enabled: true, defaultChannel: f, channels: [{name: f, type: file, dir: /d}], sinks: [{name: s, channel: f}]}")
                .httpSource().channels().get(0).capacityBytes()).isEqualTo(1L << 30);

        assertThatThrownBy(() -> RouterConfig.fromYaml("""
                httpSource:
                  enabled: true
                  defaultChannel: a
                  channels:
                    - {name: a, type: file, capacityBytes: 1048576, segmentBytes: 1048576, fsync: sometimes}
                    - {name: b, type: file, dir: /same}
                    - {name: c, type: file, dir: /same/}
                    - {name: m, dir: /x}
                  sinks:
                    - {name: s1, channel: a, type: webhook, url: "ftp://x"}
                    - {name: s2, channel: b, type: file}
                    - {name: s3, channel: c, type: kafka, url: "http://x"}
                    - {name: s4, channel: m, bestEffort: true}
                """).validate()).isInstanceOf(ConfigException.class)
                .hasMessageContaining("httpSource.channels[0].dir: is required for a file channel")
                .hasMessageContaining("httpSource.channels[0].capacityBytes: must be at least 2 x segmentBytes")
                .hasMessageContaining("httpSource.channels[0].fsync: must be never, interval or always, was 'sometimes'")
                .hasMessageContaining("httpSource.channels[2].dir: is the directory of another channel")
                .hasMessageContaining("httpSource.channels[3].dir: only for type file")
                .hasMessageContaining("httpSource.sinks[0].url: must be an http:// or https:// URL")
                .hasMessageContaining("httpSource.sinks[1].dir: is required for a file sink")
                .hasMessageContaining("httpSource.sinks[2].url: only for type webhook")
                .hasMessageContaining("httpSource.sinks[3].bestEffort: only for sinks of a file channel");
    }

    @Test
    void shapeKeysAreReadWithDefaultsAndEveryProblemIsReportedWithItsKeyPath() {
        HttpSourceConfig h = RouterConfig.fromYaml("""
                httpSource:
                  enabled: true
                  channels: [{name: events, shape: {groupBy: logType}}]
                """).validate().httpSource();
        HttpSourceConfig.ShapeConfig shape = h.channels().get(0).shape();
        assertThat(shape.groupBy()).isEqualTo("logType");
        assertThat(shape.targetBytes()).isEqualTo(256 << 10);
        assertThat(shape.maxDelayMs()).isEqualTo(500);
        assertThat(shape.maxBufferedBytes()).isEqualTo(32L << 20);
        assertThatThrownBy(() -> RouterConfig.fromYaml("""
                httpSource:
                  enabled: true
                  channels: [{name: events, shape: {groupBy: "", targetBytes: 100, maxDelayMs: 0, maxBufferedBytes: 10}}]
                  sinks: [{name: k, channel: events, partitioner: round-robin}]
                """).validate())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("httpSource.channels[0].shape.groupBy")
                .hasMessageContaining("httpSource.channels[0].shape.targetBytes")
                .hasMessageContaining("httpSource.channels[0].shape.maxDelayMs")
                .hasMessageContaining("httpSource.channels[0].shape.maxBufferedBytes")
                .hasMessageContaining("httpSource.sinks[0].partitioner");
    }
}
