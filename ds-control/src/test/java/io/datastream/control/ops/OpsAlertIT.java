package io.datastream.control.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.datastream.control.ControlConfig;
import io.datastream.control.ControlServer;
import io.datastream.control.Fixtures;
import io.datastream.control.HttpJson;
import io.datastream.control.cli.CtlCommand;
import io.datastream.control.ops.alert.Notifier;
import io.datastream.embedded.zk.EmbeddedZooKeeper;
import io.datastream.registry.ZkLayout;
import io.datastream.registry.member.EphemeralRegistration;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Alert rules over real HTTP, evaluated against reports in a real SQLite file and the live agents
 * in a real ZooKeeper, notified to real webhook receivers on loopback. The clock is manual; rounds
 * are run with evaluateNow (the scheduler's own thread), so nothing depends on timing.
 */
class OpsAlertIT {
    static final String ADMIN = "alert-admin-token-for-tests";
    static final String READER = "alert-reader-token-for-tests";
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
        server = ControlServer.start(ControlConfig.fromYaml("http: {host: 127.0.0.1, port: 0}\n"
                + "store: {path: target/ops-db/ops-alert-" + System.nanoTime() + ".db}\n"
                + "alerts: {evaluationIntervalMs: 3600000, webhookBackoffMs: 10, webhookMaxAttempts: 4}\n"
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

    static void backlog(String task, String agent, long minute, long bytes) throws Exception {
        HttpJson.Answer a = admin.post("/api/v1/reports", "{\"source\":{\"kind\":\"agent\",\"id\":\"" + agent + "\"},\"minutes\":[{\"minute\":"
                + minute + ",\"task\":\"" + task + "\",\"counts\":{\"linesRead\":1,\"backlogBytes\":" + bytes + "}}]}");
        assertThat(a.status()).isEqualTo(202);
        server.ops().store().flush().get(10, TimeUnit.SECONDS);
    }

    static void evaluate() throws Exception {
        server.ops().alerts().evaluateNow().get(30, TimeUnit.SECONDS);
    }

    static String state(String rule) {
        return reader.get("/api/v1/alerts/rules/" + rule).json().path("state").asText();
    }

    static String rule(String id, String kind, long threshold, long forMs, String scope, String webhook) {
        return "{\"id\":\"" + id + "\",\"kind\":\"" + kind + "\",\"threshold\":" + threshold + ",\"forMs\":" + forMs + ",\"scope\":" + scope
                + (webhook == null ? "" : ",\"webhooks\":[\"" + webhook + "\"]") + "}";
    }

    @Test
    void aBacklogRuleFiresThenResolvesAtAWebhook() throws Exception {
        try (WebhookReceiver hook = new WebhookReceiver()) {
            assertThat(admin.post("/api/v1/alerts/rules", rule("web-backlog", "backlogBytes", 1000, 120_000, "{\"task\":\"web\"}", hook.url()))
                    .status()).isEqualTo(201);
            long m = clock.minute();
            backlog("web", "agent-1", m, 5000);
            evaluate();
            assertThat(state("web-backlog")).isEqualTo("pending");

            clock.advance(Duration.ofMinutes(1));
            backlog("web", "agent-1", m + 1, 6000);
            evaluate();
            assertThat(state("web-backlog")).isEqualTo("pending");

            clock.advance(Duration.ofMinutes(1));
            backlog("web", "agent-1", m + 2, 7000);
            backlog("web", "agent-2", m + 2, 500);
            evaluate();
            assertThat(state("web-backlog")).isEqualTo("firing");
            await().atMost(Duration.ofSeconds(10)).until(() -> hook.accepted().size() == 1);
            JsonNode firing = hook.accepted().get(0);
            assertThat(firing.path("rule").asText()).isEqualTo("web-backlog");
            assertThat(firing.path("state").asText()).isEqualTo("firing");
            assertThat(firing.path("value").asDouble()).isEqualTo(7500);
            assertThat(firing.path("task").asText()).isEqualTo("web");

            backlog("web", "agent-1", m + 2, 0); // the minute re-sent: caught up
            evaluate();
            assertThat(state("web-backlog")).isEqualTo("resolved");
            await().atMost(Duration.ofSeconds(10)).until(() -> hook.accepted().size() == 2);
            assertThat(hook.accepted().get(1).path("state").asText()).isEqualTo("resolved");

            JsonNode history = reader.get("/api/v1/alerts/rules/web-backlog").json().path("history");
            assertThat(history.findValuesAsText("to")).containsExactly("resolved", "firing", "pending");
            assertThat(history.findValuesAsText("from")).containsExactly("firing", "pending", "inactive");
        }
    }

    @Test
    void aWebhookAnswering500IsRetriedWithBackoffAndEveryAttemptCounted() throws Exception {
        Notifier notifier = server.ops().alerts().notifier();
        long attemptsBefore = notifier.attempts();
        long failedBefore = notifier.failedAttempts();
        try (WebhookReceiver hook = new WebhookReceiver(500, 500)) {
            assertThat(admin.post("/api/v1/alerts/rules", rule("retry-backlog", "backlogBytes", 0, 0, "{\"task\":\"retry\"}", hook.url()))
                    .status()).isEqualTo(201);
            backlog("retry", "agent-9", clock.minute(), 10);
            evaluate();
            assertThat(state("retry-backlog")).isEqualTo("firing");
            await().atMost(Duration.ofSeconds(10)).until(() -> hook.accepted().size() == 1);
            assertThat(hook.requests()).isEqualTo(3);
            assertThat(hook.accepted().get(0).path("state").asText()).isEqualTo("firing");
            await().atMost(Duration.ofSeconds(10)).until(() -> notifier.attempts() - attemptsBefore >= 3);
            assertThat(notifier.failedAttempts() - failedBefore).isEqualTo(2);
            assertThat(admin.get("/metrics").text()).contains("ds_control_alert_webhook_attempts_total");
        }
        assertThat(admin.delete("/api/v1/alerts/rules/retry-backlog", null).status()).isEqualTo(204);
    }

    /** A sink's minute report of {@code lines} committed lines whose read-to-commit latency is {@code ms} each. */
    static void sinkLatency(String task, String sink, long minute, long lines, long ms) throws Exception {
        int bucket = 63 - Long.numberOfLeadingZeros(ms); // the power of two, then its quarter (the sink's layout)
        bucket = 4 * (bucket - 1) + (int) ((ms >> (bucket - 2)) & 3);
        HttpJson.Answer a = admin.post("/api/v1/reports", "{\"source\":{\"kind\":\"sink\",\"id\":\"" + sink + "\"},\"minutes\":[{\"minute\":"
                + minute + ",\"task\":\"" + task + "\",\"counts\":{\"linesCommitted\":" + lines + ",\"latencyMaxMs\":" + ms
                + ",\"latencyBuckets\":{\"" + bucket + "\":" + lines + "}}}]}");
        assertThat(a.status()).as(a.text()).isEqualTo(202);
        server.ops().store().flush().get(10, TimeUnit.SECONDS);
    }

    /**
     * endToEndLatency watches the sink's p99 read-to-commit latency of the last minutes of the task
     * in scope: it fires when one slow line in a hundred is over the threshold, and resolves when the
     * minute is re-sent with fast lines only. A bucket outside the layout is refused with its path.
     */
    @Test
    void anEndToEndLatencyRuleFiresOnTheSinksP99AndResolves() throws Exception {
        try (WebhookReceiver hook = new WebhookReceiver()) {
            assertThat(admin.post("/api/v1/alerts/rules", rule("pay-latency", "endToEndLatency", 5_000, 0, "{\"task\":\"pay\"}",
                    hook.url())).status()).isEqualTo(201);
            long m = clock.minute();
            sinkLatency("pay", "sink-1", m - 1, 100, 1_500);
            sinkLatency("other", "sink-1", m - 1, 100, 60_000); // not in scope
            evaluate();
            assertThat(state("pay-latency")).isEqualTo("inactive");

            sinkLatency("pay", "sink-2", m, 3, 20_000); // 3 of 103 lines slow: the p99 is theirs
            evaluate();
            JsonNode r = reader.get("/api/v1/alerts/rules/pay-latency").json();
            assertThat(r.path("state").asText()).isEqualTo("firing");
            assertThat(r.path("value").asDouble()).isEqualTo(20_000);
            assertThat(r.path("message").asText()).contains("p99").contains("103 committed line(s)");
            await().atMost(Duration.ofSeconds(10)).until(() -> hook.accepted().size() == 1);
            assertThat(hook.accepted().get(0).path("state").asText()).isEqualTo("firing");

            sinkLatency("pay", "sink-2", m, 3, 1_000); // the minute re-sent: its lines were fast after all
            evaluate();
            assertThat(state("pay-latency")).isEqualTo("resolved");
            assertThat(reader.get("/api/v1/alerts/rules/pay-latency").json().path("value").asDouble()).isLessThan(5_000);
        }
        HttpJson.Answer bad = admin.post("/api/v1/reports", "{\"source\":{\"kind\":\"sink\",\"id\":\"s\"},\"minutes\":[{\"minute\":"
                + clock.minute() + ",\"task\":\"pay\",\"counts\":{\"latencyBuckets\":{\"160\":1,\"x\":1,\"3\":-1}}}]}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.fields()).contains("minutes[0].counts.latencyBuckets.160", "minutes[0].counts.latencyBuckets.x",
                "minutes[0].counts.latencyBuckets.3");
        assertThat(admin.delete("/api/v1/alerts/rules/pay-latency", null).status()).isEqualTo(204);
    }

    @Test
    void anAgentThatStopsPublishingFiresAgentsGone() throws Exception {
        assertThat(admin.post("/api/v1/alerts/rules", rule("web-gone", "agentsGone", 0, 0, "{\"hosts\":\"web-*\"}", null)).status())
                .isEqualTo(201);
        try (CuratorFramework c = CuratorFrameworkFactory.newClient(zk.connectString(), new RetryOneTime(100))) {
            c.start();
            EphemeralRegistration web = Fixtures.register(c, ZkLayout.defaults(), Fixtures.agent("agent-web-7", "web-7", Map.of(),
                    Map.of("web", Fixtures.running(1, 0, 0, 1))));
            EphemeralRegistration db = Fixtures.register(c, ZkLayout.defaults(), Fixtures.agent("agent-db-7", "db-7", Map.of(),
                    Map.of()));
            await().atMost(Duration.ofSeconds(10)).until(() -> admin.get("/api/v1/agents").json().path("total").asInt() == 2);
            evaluate();
            assertThat(state("web-gone")).isEqualTo("inactive");
            web.close();
            db.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> admin.get("/api/v1/agents").json().path("total").asInt() == 0);
            evaluate();
            JsonNode r = reader.get("/api/v1/alerts/rules/web-gone").json();
            assertThat(r.path("state").asText()).isEqualTo("firing");
            assertThat(r.path("value").asDouble()).as("only the web host is in scope").isEqualTo(1);
            assertThat(r.path("message").asText()).contains("agent-web-7").doesNotContain("agent-db-7");
        }
        assertThat(admin.delete("/api/v1/alerts/rules/web-gone", null).status()).isEqualTo(204);
    }

    @Test
    void theHistoryOfEveryRuleIsListedNewestFirstInATimeRangeAndPaged() throws Exception {
        clock.advance(Duration.ofMinutes(10));
        long m = clock.minute();
        assertThat(admin.post("/api/v1/alerts/rules", rule("hist-a", "backlogBytes", 100, 0, "{\"task\":\"hist-a\"}", null)).status())
                .isEqualTo(201);
        assertThat(admin.post("/api/v1/alerts/rules", rule("hist-b", "backlogBytes", 100, 0, "{\"task\":\"hist-b\"}", null)).status())
                .isEqualTo(201);
        backlog("hist-a", "agent-h", m, 500);
        evaluate();
        clock.advance(Duration.ofMinutes(1));
        backlog("hist-b", "agent-h", m + 1, 500);
        evaluate();
        clock.advance(Duration.ofMinutes(1));
        backlog("hist-a", "agent-h", m + 2, 0);
        evaluate();
        assertThat(state("hist-a")).isEqualTo("resolved");
        assertThat(state("hist-b")).isEqualTo("firing");

        JsonNode all = reader.get("/api/v1/alerts/history?from=" + m).json();
        assertThat(ours(all)).containsExactly("hist-a:resolved", "hist-b:firing", "hist-a:firing");
        JsonNode newest = all.path("items").get(0);
        assertThat(newest.path("atMillis").asLong()).isEqualTo(clock.millis());
        assertThat(newest.path("from").asText()).isEqualTo("firing");
        assertThat(newest.path("value").asDouble()).isZero();
        assertThat(all.has("next")).isFalse();
        assertThat(ours(reader.get("/api/v1/alerts/history?from=" + m + "&state=firing").json())).containsExactly("hist-b:firing", "hist-a:firing");
        assertThat(ours(reader.get("/api/v1/alerts/history?from=" + (m + 1) + "&to=" + (m + 2)).json())).containsExactly("hist-b:firing");

        // one per page, with the cursor: the same transitions in the same order
        List<String> paged = new ArrayList<>();
        String before = null;
        int pages = 0;
        do {
            JsonNode page = reader.get("/api/v1/alerts/history?from=" + m + "&limit=1" + (before == null ? "" : "&before=" + before)).json();
            assertThat(page.path("total").asLong()).isEqualTo(all.path("total").asLong());
            paged.addAll(ours(page));
            before = page.hasNonNull("next") ? page.get("next").asText() : null;
            pages++;
        } while (before != null);
        assertThat(pages).isEqualTo(all.path("total").asInt());
        assertThat(paged).containsExactly("hist-a:resolved", "hist-b:firing", "hist-a:firing");

        // the same through ds ctl: a table, newest first, and what the limit left out
        String since = java.time.Instant.ofEpochSecond(m * 60).toString();
        Run history = ctl("alert", "history", "--since", since);
        assertThat(history.code()).as(history.err()).isZero();
        assertThat(history.out()).startsWith("TIME");
        List<String> rows = history.out().lines().filter(l -> l.contains(" hist-")).toList();
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0).split("\\s+")).contains("hist-a", "firing", "resolved");
        assertThat(rows.get(1).split("\\s+")).contains("hist-b", "firing");
        assertThat(rows.get(2).split("\\s+")).contains("hist-a", "firing");
        assertThat(ctl("alert", "history", "--since", since, "--limit", "1").out())
                .contains((all.path("total").asLong() - 1) + " older change(s)");
        Run firing = ctl("alert", "history", "--since", String.valueOf(m), "--state", "firing");
        assertThat(firing.out().lines().filter(l -> l.contains(" hist-")).map(l -> l.split("\\s+")[1]).toList())
                .containsExactly("hist-b", "hist-a");
        assertThat(ctl("alert", "history", "--since", "soon").err()).contains("from");
        assertThat(ctl("alert", "history", "--state", "burning").code()).isEqualTo(1);
        assertThat(reader.get("/api/v1/alerts/history?state=burning").fields()).containsExactly("state");
        assertThat(reader.get("/api/v1/alerts/history?before=yesterday").fields()).containsExactly("before");
        assertThat(reader.get("/api/v1/alerts/history?from=soon").fields()).containsExactly("from");
        assertThat(reader.get("/api/v1/alerts/history?limit=5000").fields()).containsExactly("limit");
        assertThat(admin.delete("/api/v1/alerts/rules/hist-a", null).status()).isEqualTo(204);
        assertThat(admin.delete("/api/v1/alerts/rules/hist-b", null).status()).isEqualTo(204);
    }

    /** "rule:to" of the history items of this test's rules. */
    private static List<String> ours(JsonNode page) {
        List<String> out = new ArrayList<>();
        for (JsonNode i : page.path("items")) {
            if (i.path("rule").asText().startsWith("hist-")) {
                out.add(i.path("rule").asText() + ":" + i.path("to").asText());
            }
        }
        return out;
    }

    @Test
    void rulesThroughRestAndTheCli() throws Exception {
        HttpJson.Answer bad = admin.post("/api/v1/alerts/rules", "{\"id\":\"x\",\"kind\":\"cpu\",\"threshold\":-1,\"forMs\":1.5,"
                + "\"scope\":{\"hosts\":\"web-{a\"},\"webhooks\":[\"ftp://x\"],\"colour\":1}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.fields()).contains("kind", "threshold", "forMs", "scope.hosts", "webhooks[0]", "colour");
        assertThat(reader.post("/api/v1/alerts/rules", rule("ro", "taskErrors", 0, 0, "{}", null)).status()).isEqualTo(403);

        Run created = ctl("alert", "create", "lag", "--kind", "readLag", "--threshold", "60000", "--for", "5m", "--task", "web",
                "--webhook", "http://127.0.0.1:9/none");
        assertThat(created.code()).as(created.err()).isZero();
        assertThat(created.out()).contains("alert rule lag created");
        assertThat(ctl("alert", "create", "lag", "--kind", "readLag").err()).contains("HTTP 409");
        assertThat(ctl("alert", "create", "x", "--kind", "readLag", "--for", "soon").code()).isEqualTo(2);

        HttpJson.Answer got = reader.get("/api/v1/alerts/rules/lag");
        assertThat(got.json().path("forMs").asLong()).isEqualTo(300_000);
        assertThat(got.json().path("scope").path("task").asText()).isEqualTo("web");

        HttpJson.Answer replaced = admin.put("/api/v1/alerts/rules/lag", rule("lag", "readLag", 30_000, 0, "{\"task\":\"web\"}", null), null);
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.json().path("threshold").asDouble()).isEqualTo(30_000);

        Run silenced = ctl("alert", "silence", "lag", "--for", "1h");
        assertThat(silenced.code()).as(silenced.err()).isZero();
        assertThat(reader.get("/api/v1/alerts/rules/lag").json().path("silencedUntilMillis").asLong())
                .isEqualTo(clock.millis() + 3_600_000);

        Run list = ctl("alert", "list");
        assertThat(list.code()).isZero();
        assertThat(list.out()).startsWith("ID").contains("lag", "readLag", "30000", "task=web");

        assertThat(ctl("alert", "delete", "lag").out()).contains("deleted");
        assertThat(reader.get("/api/v1/alerts/rules/lag").status()).isEqualTo(404);
        assertThat(ctl("alert", "delete", "lag").code()).isEqualTo(1);
    }

    record Run(int code, String out, String err) {
    }

    static Run ctl(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new CtlCommand());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 4];
        all[0] = "--url";
        all[1] = server.localUrl();
        all[2] = "--token";
        all[3] = ADMIN;
        System.arraycopy(args, 0, all, 4, args.length);
        int code = cmd.execute(all);
        return new Run(code, out.toString(), err.toString());
    }
}
