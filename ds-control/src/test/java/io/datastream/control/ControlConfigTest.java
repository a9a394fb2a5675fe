package io.datastream.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ControlConfigTest {

    @Test
    void noConfigRunsOnLocalhostDefaults() {
        ControlConfig c = ControlConfig.fromYaml("");
        assertThat(c).isEqualTo(ControlConfig.defaults());
        assertThat(c.http().host()).isEqualTo("127.0.0.1");
        assertThat(c.http().port()).isEqualTo(7400);
        assertThat(c.zookeeper().connect()).isEqualTo("localhost:2181");
        assertThat(c.zookeeper().root()).isEqualTo("/datastream");
        assertThat(c.auth().token()).isEmpty();
        assertThat(c.auth().enabled()).isFalse();
        assertThat(c.allowedTopics()).isEqualTo(".*");
    }

    @Test
    void everyKeyIsRead() {
        ControlConfig c = ControlConfig.fromYaml("""
                http: {host: 127.0.0.1, port: 0, maxBodyBytes: 4096}
                zookeeper: {connect: "zk1:2181,zk2:2181", root: /ds/prod, sessionTimeoutMs: 30000, operationTimeoutMs: 2000}
                auth: {token: s3cret-s3cret-s3cret}
                allowedTopics: "logs-.*"
                """);
        assertThat(c.http().port()).isZero();
        assertThat(c.http().maxBodyBytes()).isEqualTo(4096);
        assertThat(c.layout().tasks()).isEqualTo("/ds/prod/tasks");
        assertThat(c.zookeeper().operationTimeoutMs()).isEqualTo(2000);
        assertThat(c.auth().enabled()).isTrue();
        assertThat(c.auth().toString()).doesNotContain("s3cret");
        assertThat(c.allowedTopicsPattern().matcher("logs-a").matches()).isTrue();
    }

    @Test
    void unknownKeysAreNamedWithTheirPath() {
        assertThatThrownBy(() -> ControlConfig.fromYaml("http: {prot: 1}"))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("http.prot: unknown key");
        assertThatThrownBy(() -> ControlConfig.fromYaml("zookeper: {connect: x}"))
                .hasMessageContaining("zookeper: unknown key");
    }

    @Test
    void wrongTypesAndBadValuesAreNamedWithTheirPath() {
        assertThatThrownBy(() -> ControlConfig.fromYaml("http: {port: seventy}"))
                .hasMessageContaining("http.port: must be an integer");
        assertThatThrownBy(() -> ControlConfig.fromYaml("http: {port: 70000}"))
                .hasMessageContaining("http.port: must be in [0, 65535], was 70000");
        assertThatThrownBy(() -> ControlConfig.fromYaml("zookeeper: {root: datastream}"))
                .hasMessageContaining("zookeeper.root:");
        assertThatThrownBy(() -> ControlConfig.fromYaml("allowedTopics: '(logs'"))
                .hasMessageContaining("allowedTopics: does not compile");
        assertThatThrownBy(() -> ControlConfig.fromYaml("http: {maxBodyBytes: 10}\nzookeeper: {operationTimeoutMs: 1}"))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .anyMatch(p -> p.startsWith("http.maxBodyBytes:"))
                        .anyMatch(p -> p.startsWith("zookeeper.operationTimeoutMs:")));
        assertThatThrownBy(() -> ControlConfig.fromYaml("- a\n- b")).hasMessageContaining("must be a mapping");
    }

    @Test
    void theOperationsKeysAreReadAndChecked() {
        ControlConfig d = ControlConfig.defaults();
        assertThat(d.store().path()).isEqualTo("./data/control/metrics.db");
        assertThat(d.store().retentionMinuteDays()).isEqualTo(7);
        assertThat(d.store().retentionHourDays()).isEqualTo(90);
        assertThat(d.alerts().evaluationIntervalMs()).isEqualTo(15_000);
        assertThat(d.audit().finalityMs()).isEqualTo(300_000L);
        ControlConfig c = ControlConfig.fromYaml("""
                store: {path: /var/lib/ds/m.db, retentionMinuteDays: 3, retentionHourDays: 30, maxBytes: 1073741824, queueCapacity: 64}
                alerts: {evaluationIntervalMs: 1000, webhookTimeoutMs: 2000, webhookMaxAttempts: 3, webhookBackoffMs: 50, webhookQueueCapacity: 10}
                audit: {finalityMs: 60000}
                """);
        assertThat(c.store().settings().path()).isEqualTo(Path.of("/var/lib/ds/m.db"));
        assertThat(c.store().settings().queueCapacity()).isEqualTo(64);
        assertThat(c.alerts().webhookBackoffMs()).isEqualTo(50);
        assertThat(c.audit().finalityMs()).isEqualTo(60_000L);
        assertThatThrownBy(() -> ControlConfig.fromYaml("store: {retentionMinuteDays: 0, retentionHourDays: 5, maxBytes: 10}\n"
                + "alerts: {evaluationIntervalMs: 5}\naudit: {finalityMs: -1}"))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .anyMatch(p -> p.startsWith("store.retentionMinuteDays:"))
                        .anyMatch(p -> p.startsWith("store.maxBytes:"))
                        .anyMatch(p -> p.startsWith("alerts.evaluationIntervalMs:"))
                        .anyMatch(p -> p.startsWith("audit.finalityMs:")));
        assertThatThrownBy(() -> ControlConfig.fromYaml("store: {retentionMinuteDays: 10, retentionHourDays: 5}"))
                .hasMessageContaining("store.retentionHourDays: must be in [10, 3650], was 5");
        assertThatThrownBy(() -> ControlConfig.fromYaml("store: {pth: x}")).hasMessageContaining("store.pth: unknown key");
    }

    @Test
    void loadReadsAFileAndNamesAMissingOne(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path f = dir.resolve("control.yaml");
        Files.writeString(f, "http:\n  port: 7999\n");
        assertThat(ControlConfig.load(f).http().port()).isEqualTo(7999);
        assertThatThrownBy(() -> ControlConfig.load(dir.resolve("nope.yaml"))).hasMessageContaining("does not exist");
    }

    @Test
    void theReferenceInTheDocsIsWhatTheCodeDefines() {
        io.datastream.config.ConfigReference.verify(Path.of("..", "docs", "control.md"), "control",
                io.datastream.config.ConfigReference.markdown(ControlConfig.class));
    }

    @Test
    void unknownKeysWrongTypesAndBadValuesAreReportedTogether() {
        assertThatThrownBy(() -> ControlConfig.fromYaml("http: {prot: 1, port: 70000}\nstore: {maxBytes: lots}\nauth: {tokens: [{name: ci, role: root, token: 0123456789abcdef}]}\n"))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems()).contains(
                        "http.prot: unknown key, did you mean 'port'? (known keys here: host, maxBodyBytes, port)",
                        "http.port: must be in [0, 65535], was 70000",
                        "store.maxBytes: must be an integer, was 'lots'",
                        "auth.tokens[0].role: must be one of read, write, admin, was 'root'"));
    }
}
