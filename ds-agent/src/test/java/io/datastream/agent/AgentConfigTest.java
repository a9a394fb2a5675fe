package io.datastream.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datastream.agent.config.ConfigException;
import io.datastream.registry.task.TaskSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AgentConfigTest {
    @Test
    void defaultsWorkOnLocalhost() {
        AgentConfig c = AgentConfig.defaults();
        assertThat(c.id()).startsWith("agent-");
        assertThat(c.routers()).containsExactly("localhost:7100");
        assertThat(c.zookeeper().enabled()).isFalse();
        assertThat(c.zookeeper().root()).isEqualTo("/datastream");
        assertThat(c.dataDir()).isEqualTo(Path.of("./data/agent"));
        assertThat(c.httpPort()).isEqualTo(7200);
        assertThat(c.tasks()).isEmpty();
        assertThat(c.files().fingerprintBytes()).isEqualTo(256);
        assertThat(c.batch().maxBytes()).isEqualTo(512 << 10);
        assertThat(c.checkpoint().intervalMs()).isEqualTo(1000);
    }

    @Test
    void readsEveryKey() {
        AgentConfig c = AgentConfig.fromYaml("""
                id: a1
                host: h1
                labels: {dc: eu}
                dataDir: /tmp/x
                routers: ["r1:7100", "r2:7100"]
                zookeeper: {connect: "zk:2181", root: /ds, sessionTimeoutMs: 20000}
                auth: {token: secret}
                http: {host: 127.0.0.1, port: 0}
                files: {fingerprintBytes: 512, shortFileWaitMs: 5000, maxOpen: 100, fastPollMs: 10, slowAfterMs: 1000,
                        slowPollMs: 500, inactiveAfterMs: 60000, releaseAfterMs: 2000, readBufferBytes: 65536}
                discovery: {intervalMs: 5000, maxFilesPerTask: 1000, watch: false, maxWatchedDirs: 10}
                batch: {maxBytes: 65536, maxRecords: 1000, lingerMs: 50}
                send: {windowBatches: 8, windowBytes: 1048576, connectTimeoutMs: 1000, backoffInitialMs: 10, backoffMaxMs: 100,
                       drainTimeoutMs: 100, ackTimeoutMs: 5000, parkRetryMs: 1000}
                checkpoint: {intervalMs: 500, retentionMs: 3600000}
                status: {intervalMs: 1000}
                tasks:
                  - id: web
                    paths: [/var/log/nginx/*.log]
                    exclude: [/var/log/nginx/debug.log]
                    topic: web
                    headers: {team: edge}
                    multiline: {startPattern: '^\\d', maxLines: 10, flushTimeoutMs: 500}
                    maxLineBytes: 4096
                    overLongLines: split
                    startPosition: end
                    rateLimitBytesPerSec: 1000000
                    codec: zstd
                    hosts: {hostnames: ["web-*"], labels: {dc: eu}}
                """);
        assertThat(c.id()).isEqualTo("a1");
        assertThat(c.labels()).containsEntry("dc", "eu");
        assertThat(c.zookeeper().enabled()).isTrue();
        assertThat(c.authToken()).isEqualTo("secret");
        assertThat(c.httpHost()).isEqualTo("127.0.0.1");
        assertThat(c.files().maxOpen()).isEqualTo(100);
        assertThat(c.discovery().watch()).isFalse();
        assertThat(c.send().windowBatches()).isEqualTo(8);
        TaskSpec t = c.tasks().get(0);
        assertThat(t.overLongLines()).isEqualTo(TaskSpec.OverLongLines.SPLIT);
        assertThat(t.startPosition()).isEqualTo(TaskSpec.StartPosition.END);
        assertThat(t.multiline().maxLinesOrDefault()).isEqualTo(10);
        assertThat(t.hosts().matches("web-1", java.util.Map.of("dc", "eu"))).isTrue();
    }

    @Test
    void errorsNameTheFullKeyPath() {
        assertThatThrownBy(() -> AgentConfig.fromYaml("files: {maxOpen: 1, bogus: 3}\nsend: {windowBatches: x}\nextra: 1\n"))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).errors()).containsExactlyInAnyOrder(
                        "files.maxOpen: must be in [4, 1000000], was 1",
                        "send.windowBatches: must be an integer, was 'x'",
                        "files.bogus: unknown key (known keys here: fastPollMs, fingerprintBytes, inactiveAfterMs, maxOpen, readBufferBytes,"
                                + " releaseAfterMs, shortFileWaitMs, slowAfterMs, slowPollMs)",
                        "extra: unknown key (known keys here: auth, batch, checkpoint, dataDir, discovery, files, host, http, id, labels, paths,"
                                + " reports, routers, send, status, tasks, tls, zookeeper)"));
        assertThatThrownBy(() -> AgentConfig.fromYaml("routers: [nohostport]")).hasMessageContaining("routers[0]: must be host:port");
        assertThatThrownBy(() -> AgentConfig.fromYaml("tasks:\n  - id: t\n    paths: [relative/*.log]\n    codec: brotli\n"))
                .hasMessageContaining("tasks[0].paths[0]: 'relative/*.log' must be an absolute path")
                .hasMessageContaining("tasks[0].codec");
        assertThatThrownBy(() -> AgentConfig.fromYaml("tasks:\n  - id: t\n    paths: [/a]\n    color: red\n"))
                .hasMessageContaining("tasks[0].color: unknown key");
        assertThatThrownBy(() -> AgentConfig.fromYaml("tasks:\n  - id: t\n    paths: [/a]\n    startPosition: start\n"))
                .hasMessageContaining("tasks[0].startPosition: must be one of beginning, end, was 'start'");
        assertThatThrownBy(() -> AgentConfig.fromYaml("tasks:\n  - {id: t, paths: [/a]}\n  - {id: t, paths: [/b]}\n"))
                .hasMessageContaining("tasks[1].id: duplicate task id");
        assertThatThrownBy(() -> AgentConfig.fromYaml("files: {slowAfterMs: 10000, inactiveAfterMs: 1000}"))
                .hasMessageContaining("files.slowAfterMs: must be <= files.inactiveAfterMs");
        assertThatThrownBy(() -> AgentConfig.fromYaml("[1, 2]")).hasMessageContaining("(document): must be a mapping");
    }

    @Test
    void securityKeysAreValidatedAndSecretsHidden(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        AgentConfig d = AgentConfig.defaults();
        assertThat(d.paths().allow()).containsExactly(Path.of("/var/log"));
        assertThat(d.tls().enabled()).isFalse();
        assertThat(d.tls().verifyHostname()).isTrue();
        assertThatThrownBy(() -> AgentConfig.fromYaml("""
                paths: {allow: [var/log, /var/log/../etc, /proc/self, /srv/logs]}
                auth: {token: abc, tokenFile: /nonexistent/token}
                tls: {enabled: true, serverName: "bad name", keyFile: /nonexistent/key}
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("paths.allow[0]: must be an absolute directory, was 'var/log'")
                .hasMessageContaining("paths.allow[1]: must not contain . or .. segments")
                .hasMessageContaining("paths.allow[2]: /proc, /sys and /dev are never read")
                .hasMessageContaining("auth.tokenFile: set auth.token or auth.tokenFile, not both")
                .hasMessageContaining("auth.tokenFile: cannot read '/nonexistent/token'")
                .hasMessageContaining("tls.certFile: tls.certFile and tls.keyFile go together")
                .hasMessageContaining("tls.keyFile: file '/nonexistent/key' does not exist or is not readable")
                .hasMessageContaining("tls.serverName: must be a host name");
        Path token = Files.writeString(dir.resolve("token"), "  the-agent-secret-token\n");
        AgentConfig c = AgentConfig.fromYaml("auth: {tokenFile: " + token + "}\ntls: {enabled: true, keyPassword: hunter2}\n");
        assertThat(c.authToken()).isEqualTo("the-agent-secret-token");
        assertThat(c.toString()).doesNotContain("the-agent-secret-token").doesNotContain("hunter2").contains("authToken=***");
    }

    @Test
    void theReferenceInTheDocsIsWhatTheCodeDefines() {
        io.datastream.config.ConfigReference.verify(Path.of("..", "docs", "agent.md"), "agent",
                io.datastream.config.ConfigReference.markdown(AgentConfig.class));
    }
}
