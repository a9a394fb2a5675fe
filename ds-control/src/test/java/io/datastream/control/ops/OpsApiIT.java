package io.datastream.control.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.datastream.control.ControlConfig;
import io.datastream.control.ControlServer;
import io.datastream.control.HttpJson;
import io.datastream.control.cli.CtlCommand;
import io.datastream.embedded.zk.EmbeddedZooKeeper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Reports in, series and audit out, over real HTTP against a real SQLite file and ZooKeeper, with a manual clock. */
class OpsApiIT {
    static final String ADMIN = "ops-admin-token-for-tests";
    static final String READER = "ops-reader-token-for-tests";
    static final long T0 = 29_433_600;
    static EmbeddedZooKeeper zk;
    static ManualClock clock;
    static ControlServer server;
    static HttpJson admin;
    static HttpJson reader;

    @BeforeAll
    static void start() {
        zk = EmbeddedZooKeeper.start();
        clock = ManualClock.atMinute(T0 + 30);
        server = ControlServer.start(ControlConfig.fromYaml("http: {host: 127.0.0.1, port: 0, maxBodyBytes: 65536}\n"
                + "store: {path: target/ops-db/ops-api-" + System.nanoTime() + ".db}\n"
                + "audit: {finalityMs: 300000}\n"
                + "zookeeper: {connect: '" + zk.connectString() + "'}\n"
                + "auth:\n  token: " + ADMIN + "\n  tokens:\n    - {name: dash, role: read, token: " + READER + "}\n"), clock);
        admin = new HttpJson(server.localUrl()).withToken(ADMIN);
        reader = new HttpJson(server.localUrl()).withToken(READER);
    }

    @AfterAll
    static void stop() {
        server.close();
        zk.close();
    }

    static String report(String kind, String id, long minute, String task, String counts) {
        return "{\"source\":{\"kind\":\"" + kind + "\",\"id\":\"" + id + "\"},\"minutes\":[{\"minute\":" + minute + ",\"task\":\"" + task
                + "\",\"counts\":" + counts + "}]}";
    }

    static void flush() throws Exception {
        server.ops().store().flush().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aResentReportIsCountedOnceAndTheSeriesHasEveryTier() throws Exception {
        String a1 = report("agent", "agent-1", T0, "web", "{\"linesRead\":10,\"bytesRead\":1000,\"linesAcked\":10,\"backlogBytes\":50}");
        HttpJson.Answer first = admin.post("/api/v1/reports", a1);
        assertThat(first.status()).isEqualTo(202);
        assertThat(first.json().path("accepted").asInt()).isEqualTo(1);
        assertThat(admin.post("/api/v1/reports", a1).status()).isEqualTo(202);
        assertThat(admin.post("/api/v1/reports", report("agent", "agent-2", T0, "web", "{\"linesRead\":5,\"linesAcked\":5}")).status())
                .isEqualTo(202);
        assertThat(admin.post("/api/v1/reports", report("router", "router-1", T0, "web", "{\"linesToKafka\":15}")).status()).isEqualTo(202);
        assertThat(admin.post("/api/v1/reports", report("sink", "sink-1", T0, "web", "{\"linesCommitted\":15}")).status()).isEqualTo(202);
        flush();

        HttpJson.Answer series = reader.get("/api/v1/metrics?task=web&from=" + T0 + "&to=" + (T0 + 1));
        assertThat(series.status()).isEqualTo(200);
        JsonNode agent = series.json().path("tiers").path("agent").get(0);
        assertThat(agent.path("minute").asLong()).isEqualTo(T0);
        assertThat(agent.path("counts").path("linesRead").asLong()).isEqualTo(15);
        assertThat(agent.path("counts").path("backlogBytes").asLong()).isEqualTo(50);
        assertThat(series.json().path("tiers").path("router").get(0).path("counts").path("linesToKafka").asLong()).isEqualTo(15);
        assertThat(series.json().path("tiers").path("sink").get(0).path("counts").path("linesCommitted").asLong()).isEqualTo(15);

        HttpJson.Answer one = reader.get("/api/v1/metrics?task=web&source=agent-1&from=" + T0 + "&to=" + (T0 + 1) + "&step=hour");
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().path("tiers").path("agent").get(0).path("counts").path("linesRead").asLong()).isEqualTo(10);
        assertThat(one.json().path("tiers").path("agent").get(0).path("minute").asLong()).isEqualTo(T0 / 60 * 60);

        HttpJson.Answer iso = reader.get("/api/v1/metrics?task=web&from=" + java.time.Instant.ofEpochSecond(T0 * 60) + "&to="
                + java.time.Instant.ofEpochSecond((T0 + 1) * 60));
        assertThat(iso.json().path("tiers").path("agent").get(0).path("counts").path("linesRead").asLong()).isEqualTo(15);
    }

    @Test
    void aRestartedServerKeepsItsHistoryAndRules() throws Exception {
        String yaml = "http: {host: 127.0.0.1, port: 0}\nstore: {path: target/ops-db/restart-" + System.nanoTime() + ".db}\n"
                + "zookeeper: {connect: '" + zk.connectString() + "'}\n";
        try (ControlServer first = ControlServer.start(ControlConfig.fromYaml(yaml), clock)) {
            HttpJson api = new HttpJson(first.localUrl());
            assertThat(api.post("/api/v1/reports", report("agent", "agent-1", T0 + 1, "kept", "{\"linesRead\":42}")).status()).isEqualTo(202);
            assertThat(api.post("/api/v1/alerts/rules", "{\"id\":\"kept\",\"kind\":\"taskErrors\"}").status()).isEqualTo(201);
        }
        try (ControlServer second = ControlServer.start(ControlConfig.fromYaml(yaml), clock)) {
            HttpJson api = new HttpJson(second.localUrl());
            JsonNode agent = api.get("/api/v1/metrics?task=kept&from=" + T0 + "&to=" + (T0 + 2)).json().path("tiers").path("agent");
            assertThat(agent.get(0).path("counts").path("linesRead").asLong()).isEqualTo(42);
            assertThat(api.get("/api/v1/alerts/rules/kept").status()).isEqualTo(200);
        }
    }

    @Test
    void badReportsAre400WithTheFieldAndWriteNothing() throws Exception {
        assertBad("{\"source\":{\"kind\":\"agent\",\"id\":\"a\"},\"minutes\":[", "body");
        assertBad(report("robot", "a", T0, "bad", "{}"), "source.kind");
        assertBad(report("agent", "has space", T0, "bad", "{}"), "source.id");
        assertBad(report("agent", "a", T0, "bad", "{\"linesRead\":-1}"), "minutes[0].counts.linesRead");
        assertBad(report("agent", "a", T0, "bad", "{\"linesRead\":1.5}"), "minutes[0].counts.linesRead");
        assertBad(report("agent", "a", T0, "bad", "{\"linesEaten\":1}"), "minutes[0].counts.linesEaten");
        assertBad(report("agent", "a", T0, "bad", "{\"droppedByReason\":{\"x y\":1}}"), "minutes[0].counts.droppedByReason.x y");
        assertBad(report("agent", "a", T0 + 10_000, "bad", "{}"), "minutes[0].minute");
        assertBad(report("agent", "a", T0, "-bad", "{}"), "minutes[0].task");
        assertBad("{\"source\":{\"kind\":\"agent\",\"id\":\"a\"},\"minutes\":[], \"extra\":1}", "extra");
        assertBad("{\"source\":{\"kind\":\"agent\",\"id\":\"a\"},\"minutes\":[{\"minute\":" + T0 + ",\"task\":\"bad\",\"counts\":{}},"
                + "{\"minute\":" + T0 + ",\"task\":\"bad\",\"counts\":{}}]}", "minutes[1]");
        HttpJson.Answer big = admin.post("/api/v1/reports", "{\"pad\":\"" + "x".repeat(70_000) + "\"}");
        assertThat(big.status()).isEqualTo(413);
        flush();
        assertThat(reader.get("/api/v1/metrics?task=bad&from=" + (T0 - 10) + "&to=" + (T0 + 10)).json().path("tiers").path("agent"))
                .isEmpty();
        assertThat(reader.get("/api/v1/metrics?task=web&step=week").fields()).containsExactly("step");
        assertThat(reader.get("/api/v1/metrics").status()).as("without task: every task summed").isEqualTo(200);
        assertThat(reader.get("/api/v1/metrics?source=agent-1").fields()).containsExactly("task");
        assertThat(reader.get("/api/v1/metrics?task=web&from=yesterday").fields()).containsExactly("from");
    }

    private static void assertBad(String body, String field) {
        HttpJson.Answer a = admin.post("/api/v1/reports", body);
        assertThat(a.status()).as(body).isEqualTo(400);
        assertThat(a.fields()).as(body).contains(field);
    }

    @Test
    void reportsNeedTheWriteRole() {
        String r = report("agent", "agent-1", T0, "auth", "{\"linesRead\":1}");
        assertThat(reader.post("/api/v1/reports", r).status()).isEqualTo(403);
        assertThat(new HttpJson(server.localUrl()).post("/api/v1/reports", r).status()).isEqualTo(401);
        assertThat(new HttpJson(server.localUrl()).get("/api/v1/metrics?task=auth").status()).isEqualTo(401);
        assertThat(new HttpJson(server.localUrl()).get("/api/v1/tasks/auth/audit").status()).isEqualTo(401);
    }

    @Test
    void theAuditOverHttpAndInTheCli() throws Exception {
        long m = T0 + 20;
        admin.post("/api/v1/reports", report("agent", "agent-1", m, "pay",
                "{\"linesRead\":100,\"linesAcked\":100,\"linesDropped\":2,\"droppedByReason\":{\"overLongLine\":2}}"));
        admin.post("/api/v1/reports", report("router", "router-1", m, "pay", "{\"linesToKafka\":100}"));
        admin.post("/api/v1/reports", report("sink", "sink-1", m, "pay", "{\"linesCommitted\":97}"));
        admin.post("/api/v1/reports", report("agent", "agent-1", m + 8, "pay", "{\"linesRead\":10,\"linesAcked\":4}"));
        flush();

        HttpJson.Answer audit = reader.get("/api/v1/tasks/pay/audit?since=30m");
        assertThat(audit.status()).isEqualTo(200);
        JsonNode windows = audit.json().path("windows");
        assertThat(windows).hasSize(2);
        assertThat(windows.get(0).path("status").asText()).isEqualTo("lost");
        assertThat(windows.get(0).path("missing").asLong()).isEqualTo(3);
        assertThat(windows.get(0).path("dropped").asLong()).isEqualTo(2);
        assertThat(windows.get(1).path("status").asText()).isEqualTo("in flight");
        assertThat(audit.json().path("total").path("status").asText()).isEqualTo("lost");
        assertThat(reader.get("/api/v1/tasks/pay/audit?since=soon").fields()).containsExactly("since");

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new CtlCommand());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute("--url", server.localUrl(), "--token", READER, "audit", "pay", "--since", "1h");
        assertThat(code).as(err.toString()).isZero();
        String[] lines = out.toString().split("\n");
        assertThat(lines[0]).startsWith("MINUTE").contains("READ", "DROPPED", "ACKED", "IN KAFKA", "COMMITTED", "STATUS");
        assertThat(lines[1]).contains("lost").contains("-3");
        assertThat(lines[2]).contains("in flight");
        assertThat(lines[3]).startsWith("TOTAL").contains("110").contains("lost");
        assertThat(out.toString()).contains("dropped by agents and counted (not lost): overLongLine 2");

        // once final, the late window is judged
        clock.advance(Duration.ofMinutes(10));
        JsonNode later = reader.get("/api/v1/tasks/pay/audit?since=1h").json().path("windows");
        assertThat(later.get(1).path("status").asText()).isEqualTo("lost");
        assertThat(later.get(1).path("missing").asLong()).isEqualTo(10);
    }
}
