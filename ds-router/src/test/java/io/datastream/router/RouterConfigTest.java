package io.datastream.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datastream.router.config.ConfigException;
import io.datastream.router.config.RouteMode;
import org.junit.jupiter.api.Test;

class RouterConfigTest {
    @Test
    void defaultsRunOnLocalhost() {
        RouterConfig c = RouterConfig.defaults();
        assertThat(c.id()).startsWith("router-");
        assertThat(c.listen().port()).isEqualTo(7100);
        assertThat(c.http().port()).isEqualTo(7101);
        assertThat(c.advertisedHost()).isEqualTo("localhost");
        assertThat(c.auth().token()).isEmpty();
        assertThat(c.kafka().bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(c.zookeeper().enabled()).isFalse();
        assertThat(c.zookeeper().root()).isEqualTo("/datastream");
        assertThat(c.defaultRoute().topic()).isEqualTo("ds-{task}");
        assertThat(c.pool().capacityBytes()).isEqualTo(268435456L);
        assertThat(c.routes()).isEmpty();
    }

    @Test
    void readsEveryContractKey() {
        RouterConfig c = RouterConfig.fromYaml("""
                id: r7
                advertisedHost: router7.example.com
                listen: {host: 127.0.0.1, port: 0}
                http: {port: 0}
                auth: {token: s3cret}
                kafka:
                  bootstrapServers: k1:9092,k2:9092
                  properties: {linger.ms: 10, compression.gzip.level: 5}
                zookeeper: {connect: "zk1:2181", root: /ds-test}
                routes:
                  - when: 'header.logType == "jvm"'
                    topic: logs-jvm
                    mode: lines
                defaultRoute: {topic: "logs-{task}"}
                pool: {capacityBytes: 33554432}
                """);
        assertThat(c.id()).isEqualTo("r7");
        assertThat(c.listen().port()).isZero();
        assertThat(c.auth().token()).isEqualTo("s3cret");
        assertThat(c.kafka().properties()).containsEntry("linger.ms", "10");
        assertThat(c.zookeeper().connect()).isEqualTo("zk1:2181");
        assertThat(c.routes()).hasSize(1);
        assertThat(RouteMode.fromConfig(c.routes().get(0).mode())).isEqualTo(RouteMode.LINES);
        assertThat(c.pool().capacityBytes()).isEqualTo(32L << 20);
        assertThat(c.routeTable().usesMode(RouteMode.LINES)).isTrue();
    }

    @Test
    void unknownKeysAreErrorsWithTheirPath() {
        assertThatThrownBy(() -> RouterConfig.fromYaml("listen: {prot: 7100}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("listen.prot: unknown key").hasMessageContaining("port");
        assertThatThrownBy(() -> RouterConfig.fromYaml("routes: [{topic: a, mdoe: lines}]"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("routes[0].mdoe: unknown key");
    }

    @Test
    void badTypesNameTheKey() {
        assertThatThrownBy(() -> RouterConfig.fromYaml("pool: {capacityBytes: lots}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("pool.capacityBytes:");
        assertThatThrownBy(() -> RouterConfig.fromYaml("listen: {port: 71.5}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("listen.port:");
    }

    @Test
    void everyProblemIsReportedWithItsKey() {
        ConfigException e = (ConfigException) org.assertj.core.api.Assertions.catchThrowable(() -> RouterConfig.fromYaml("""
                listen: {port: 70000}
                pool: {capacityBytes: 5}
                heartbeat: {intervalMs: 1}
                kafka: {partitioner: random, properties: {acks: "1", linger.ms: soon}}
                migration: {threshold: 2}
                """));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("listen.port: must be in [0, 65535], was 70000"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("pool.capacityBytes: must be in [16777216"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("heartbeat.intervalMs:"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("kafka.partitioner:"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("kafka.properties.acks: is set by the router"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("migration.threshold:"));
    }

    @Test
    void linesHeadersDefaultToAllSixAndMustKeepTheLinesIdentity() throws Exception {
        assertThat(RouterConfig.fromYaml("id: r\n").kafka().linesHeaders())
                .containsExactly("ds.task", "ds.agent", "ds.host", "ds.path", "ds.fingerprint", "ds.offset");
        assertThat(RouterConfig.fromYaml("kafka: {linesHeaders: [ds.offset, ds.agent, ds.path]}\n").kafka().linesHeaders())
                .containsExactly("ds.offset", "ds.agent", "ds.path");
        ConfigException e = (ConfigException) org.assertj.core.api.Assertions.catchThrowable(() ->
                RouterConfig.fromYaml("kafka: {linesHeaders: [ds.offset, ds.hostname, ds.offset]}\n"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("kafka.linesHeaders: must name headers among ds.task,")
                .contains("was 'ds.hostname'"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("kafka.linesHeaders: names 'ds.offset' twice"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("kafka.linesHeaders: must include ds.agent"));
        ConfigException empty = (ConfigException) org.assertj.core.api.Assertions.catchThrowable(() ->
                RouterConfig.fromYaml("kafka: {linesHeaders: []}\n"));
        assertThat(empty.problems()).anySatisfy(p -> assertThat(p).startsWith("kafka.linesHeaders: must include ds.agent"))
                .anySatisfy(p -> assertThat(p).startsWith("kafka.linesHeaders: must include ds.offset"));
    }

    @Test
    void unknownKeysWrongTypesAndBadValuesAreReportedTogether() {
        ConfigException e = (ConfigException) org.assertj.core.api.Assertions.catchThrowable(() -> RouterConfig.fromYaml("""
                listen: {prot: 7100, workerThreads: many}
                pool: {capacityBytes: 5}
                routes: [{topic: a, mdoe: lines}]
                """));
        assertThat(e).isInstanceOf(io.datastream.config.ConfigException.class);
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("listen.prot: unknown key, did you mean 'port'?"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("listen.workerThreads: must be an integer, was 'many'"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("routes[0].mdoe: unknown key, did you mean 'mode'?"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("pool.capacityBytes: must be in [16777216"));
        assertThat(e).hasMessageStartingWith("invalid router configuration:\n  ");
    }

    @Test
    void kafkaPropertiesAreCheckedLikeTheProducerWould() {
        assertThatThrownBy(() -> RouterConfig.fromYaml("kafka: {properties: {linger.ms: soon}}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("kafka.properties:").hasMessageContaining("linger.ms");
        assertThatThrownBy(() -> RouterConfig.fromYaml("kafka: {properties: {lingerr.ms: 5}}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("kafka.properties.lingerr.ms: is not a Kafka producer property");
    }

    @Test
    void ruleCompileErrorsNameTheRuleAndPosition() {
        assertThatThrownBy(() -> RouterConfig.fromYaml("""
                routes:
                  - {when: 'task == "a"', topic: a}
                  - {when: 'header.x = "b"', topic: b}
                  - {topic: 'c-{nope}'}
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("routes[1].when: at position 10")
                .hasMessageContaining("routes[2].topic: at position 3: unknown placeholder {nope}");
    }

    @Test
    void routeNeedsATopic() {
        assertThatThrownBy(() -> RouterConfig.fromYaml("routes: [{when: 'task == \"a\"'}]"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("routes[0].topic: must not be empty");
    }

    @Test
    void aChannelRouteNamesAChannelOfAgentBatchesUnderAnEnabledHttpSource() {
        assertThatThrownBy(() -> RouterConfig.fromYaml("routes: [{channel: agents}]"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("routes[0].channel: needs httpSource.enabled: true");
        assertThatThrownBy(() -> RouterConfig.fromYaml("""
                routes:
                  - {channel: nope}
                  - {channel: events}
                  - {channel: agents, topic: t, partitioner: round-robin, mode: lines}
                httpSource:
                  enabled: true
                  channels: [{name: events}, {name: agents, format: batches}]
                  routes: [{channel: agents}]
                  sinks: [{name: k, channel: events}, {name: a, channel: agents}]
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("routes[0].channel: names no channel of httpSource.channels: 'nope'")
                .hasMessageContaining("routes[1].channel: channel 'events' must have format: batches")
                .hasMessageContaining("routes[2].topic: give topic or channel, not both")
                .hasMessageContaining("routes[2].partitioner: only with topic")
                .hasMessageContaining("routes[2].mode: only envelope with channel")
                .hasMessageContaining("httpSource.routes[0].channel: names a channel of agent batches: 'agents'");
        assertThatThrownBy(() -> RouterConfig.fromYaml("""
                httpSource:
                  enabled: true
                  defaultChannel: agents
                  channels: [{name: agents, format: batches, shape: {groupBy: logType}}]
                  tokens: [{token: secret-token, channels: [agents]}]
                  sinks: [{name: a, channel: agents}]
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("httpSource.defaultChannel: names a channel of agent batches: 'agents'")
                .hasMessageContaining("httpSource.channels[0].shape: not for a channel of agent batches")
                .hasMessageContaining("httpSource.tokens[0].channels: names a channel of agent batches: 'agents'");
        RouterConfig ok = RouterConfig.fromYaml("""
                routes: [{task: app, channel: agents}]
                httpSource:
                  enabled: true
                  defaultChannel: ""
                  channels: [{name: agents, type: file, dir: /tmp/agents, format: batches}]
                  sinks: [{name: a, channel: agents, topic: agent-lines}, {name: f, channel: agents, type: file, dir: /tmp/out}]
                """);
        assertThat(ok.routes().get(0).toChannel()).isTrue();
        assertThat(ok.httpSource().channels().get(0).holdsAgentBatches()).isTrue();
    }

    @Test
    void windowsMustHoldTheLargestBatch() {
        assertThatThrownBy(() -> RouterConfig.fromYaml("pool: {minWindowBytes: 1000}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("pool.minWindowBytes:");
    }

    @Test
    void tlsNeedsReadableFiles() {
        assertThatThrownBy(() -> RouterConfig.fromYaml("tls: {enabled: true, certFile: /nonexistent.pem}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("tls.certFile: file '/nonexistent.pem' does not exist")
                .hasMessageContaining("tls.keyFile: must be set");
    }

    @Test
    void clientCertificatesNeedACaFileAndAKnownMode() {
        assertThatThrownBy(() -> RouterConfig.fromYaml("tls: {enabled: true, certFile: /nonexistent.pem, keyFile: /nonexistent.key, "
                + "clientAuth: always}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("tls.clientAuth: must be none, optional or require, was 'always'");
        assertThatThrownBy(() -> RouterConfig.fromYaml("tls: {enabled: true, certFile: /nonexistent.pem, keyFile: /nonexistent.key, "
                + "clientAuth: require}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("tls.clientCaFile: must be set when tls.enabled is true");
        assertThat(RouterConfig.fromYaml("tls: {clientCaFile: /x.pem}").tls().clientAuth()).isEqualTo("require");
        assertThat(RouterConfig.fromYaml("{}").tls().clientCertificates()).isFalse();
    }

    @Test
    void agentCredentialsAreCheckedAllAtOnce() {
        assertThatThrownBy(() -> RouterConfig.fromYaml("""
                auth:
                  agents:
                    - {name: a, token: short, tasks: [x]}
                    - {name: a, token: a-long-enough-token-123, certificateCn: a, agentIds: [a], tasks: [x]}
                    - {name: c, certificateCn: "c-*", tasks: [x]}
                    - {name: d, tokenFile: /nonexistent/token, agentIds: [d]}
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("auth.agents[0].token: must be 16-1024 characters")
                .hasMessageContaining("auth.agents[0].agentIds: must list the agent ids")
                .hasMessageContaining("auth.agents[1]: needs exactly one of token, tokenFile, certificateCn")
                .hasMessageContaining("auth.agents[1].name: duplicate name 'a'")
                .hasMessageContaining("auth.agents[2].certificateCn: needs client certificates")
                .hasMessageContaining("auth.agents[3].tasks: must list the task ids")
                .hasMessageContaining("auth.agents[3].tokenFile: cannot read '/nonexistent/token'");
        assertThatThrownBy(() -> RouterConfig.fromYaml("auth: {agents: [{name: x, tokn: y}]}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown key");
        RouterConfig ok = RouterConfig.fromYaml("auth: {agents: [{name: w, token: a-long-enough-token-123, agentIds: [w-*], tasks: [w]}]}");
        assertThat(ok.auth().enabled()).isTrue();
        assertThat(ok.auth().toString()).doesNotContain("a-long-enough-token-123");
    }

    @Test
    void duplicateKeysAreErrors() {
        assertThatThrownBy(() -> RouterConfig.fromYaml("id: a\nid: b\n")).isInstanceOf(ConfigException.class).hasMessageContaining("id");
    }

    @Test
    void emptyDocumentMeansDefaults() {
        assertThat(RouterConfig.fromYaml("").listen().port()).isEqualTo(7100);
    }
}
