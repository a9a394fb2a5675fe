package io.datastream.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.datastream.agent.Agent;
import io.datastream.agent.AgentConfig;
import io.datastream.agent.testing.RouterAndKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * /metrics is as current as the agent's checkpoints, not as its ZooKeeper refresh: with
 * status.intervalMs at ten minutes, the lines acknowledged still show up in the metrics, round
 * after round.
 */
class MetricsFreshnessIT {
    @RegisterExtension
    static final RouterAndKafka RUNNING = new RouterAndKafka("fresh-r");

    @TempDir
    Path dir;

    @Test
    void metricsFollowTheCheckpointsWhateverTheStatusInterval() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        String yaml = AgentYaml.base("fresh-agent", dir.resolve("data"), "\"127.0.0.1:" + RUNNING.router().port() + "\"")
                .replace("http: {port: -1}", "http: {host: 127.0.0.1, port: 0}")
                .replace("status: {intervalMs: 500}", "status: {intervalMs: 600000}")
                + "tasks:\n" + AgentYaml.task("fresh", logs + "/*.log", "fresh");
        try (Agent agent = Agent.start(AgentConfig.fromYaml(yaml))) {
            HttpClient http = HttpClient.newHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + agent.httpPort() + "/metrics");
            await().atMost(Duration.ofSeconds(30)).until(() -> scrape(http, uri).contains("ds_agent_connected 1.0"));
            // Two rounds: the status refresh runs once, a second after start, then in ten minutes. Metrics
            // taken from that status could show the first round (if it was acknowledged within that
            // second) but never the second, which starts only once the first shows.
            Path log = logs.resolve("app.log");
            Files.writeString(log, "a line\n".repeat(100));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(scrape(http, uri)).contains("ds_agent_lines_acked_total{task=\"fresh\"} 100.0"));
            Files.writeString(log, "another line\n".repeat(100), java.nio.file.StandardOpenOption.APPEND);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(scrape(http, uri)).contains("ds_agent_lines_acked_total{task=\"fresh\"} 200.0"));
        }
    }

    private static String scrape(HttpClient http, URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
