package io.datastream.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.datastream.agent.Agent;
import io.datastream.agent.AgentConfig;
import io.datastream.agent.testing.LogWriter;
import io.datastream.agent.testing.RouterAndKafka;
import io.datastream.agent.testing.KafkaLines;
import io.datastream.registry.member.TaskStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real agent with a {@code paths.allow} list, a real router and Kafka: a task reading
 * /etc/shadow is refused by the agent (task state "refused", the reason in lastError, counted in
 * ds_agent_paths_refused) while an allowed task on the same agent delivers; a symlink from an
 * allowed log directory to a secret file is not followed, and only the real log's lines arrive.
 */
class PathAllowIT {
    @RegisterExtension
    static final RouterAndKafka RUNNING = new RouterAndKafka("paths-r");

    @TempDir
    Path dir;

    @Test
    void tasksOutsideTheAllowListAndSymlinksOutOfTheirRootAreRefused() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path secret = Files.writeString(dir.resolve("secret.txt"), "SECRET-LINE\n");
        Files.createSymbolicLink(logs.resolve("evil.log"), secret);
        String yaml = AgentYaml.base("paths-agent", dir.resolve("data"), "\"127.0.0.1:" + RUNNING.router().port() + "\"")
                .replace("http: {port: -1}", "http: {host: 127.0.0.1, port: 0}")
                .replace(io.datastream.agent.testing.TestPaths.allowTmp(), "paths: {allow: [\"" + logs + "\"]}\n")
                + "tasks:\n" + AgentYaml.task("app", logs + "/*.log", "paths-ok") + AgentYaml.task("shadow", "/etc/shadow", "paths-no");
        try (LogWriter w = new LogWriter(logs.resolve("app.log"), "ok"); KafkaLines k = RUNNING.cluster().lines("paths-ok");
             Agent agent = Agent.start(AgentConfig.fromYaml(yaml))) {
            List<String> lines = w.write(200);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> assertThat(k.poll().ledger().missing(lines)).isEmpty());
            assertThat(k.ledger().contents()).noneMatch(l -> l.contains("SECRET"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                TaskStatus shadow = agent.status().tasks().get("shadow");
                assertThat(shadow).isNotNull();
                assertThat(shadow.state()).isEqualTo("refused");
                assertThat(shadow.lastError()).isEqualTo("path '/etc/shadow' is outside paths.allow [" + logs + "]");
                assertThat(shadow.files()).isZero();
                assertThat(agent.status().tasks().get("app").state()).isEqualTo("running");
            });
            assertThat(agent.files()).noneMatch(f -> f.toString().contains("evil.log"));
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.httpPort()
                    + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("ds_agent_paths_refused_total{reason=\"outside_allow\",task=\"shadow\"} 1.0")
                    .contains("ds_agent_paths_refused_total{reason=\"symlink_outside_root\",task=\"app\"} 1.0");
        }
    }
}
