package io.datastream.control.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datastream.control.ControlConfig;
import io.datastream.control.ControlServer;
import io.datastream.control.Fixtures;
import io.datastream.control.HttpJson;
import io.datastream.registry.ZkClients;
import io.datastream.registry.ZkLayout;
import io.datastream.registry.member.EphemeralRegistration;
import io.datastream.testkit.net.FreePorts;
import io.datastream.embedded.zk.EmbeddedZooKeeper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ds ctl} run in-process (picocli) against a real server and ZooKeeper. */
class CtlCommandIT {
    static final String TOKEN = "ctl-token-for-tests";
    static final ObjectMapper JSON = new ObjectMapper();
    static EmbeddedZooKeeper zk;
    static ControlServer server;
    static CuratorFramework members;
    static final List<EphemeralRegistration> registrations = new ArrayList<>();

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        zk = EmbeddedZooKeeper.start();
        server = ControlServer.start(ControlConfig.fromYaml("http: {host: 127.0.0.1, port: 0}\nstore: {path: target/ops-db/ctl.db}\nzookeeper: {connect: '"
                + zk.connectString() + "'}\nauth: {token: " + TOKEN + "}\n"));
        members = ZkClients.start(zk.connectString());
        registrations.add(Fixtures.register(members, ZkLayout.defaults(), Fixtures.agent("agent-web-1", "web-1",
                Map.of("env", "prod"), Map.of("nginx", Fixtures.runningWithDrops(3, 2048, 1500, 42)))));
        registrations.add(Fixtures.register(members, ZkLayout.defaults(), Fixtures.agent("agent-db-1", "db-1",
                Map.of("env", "prod"), Map.of())));
        registrations.add(Fixtures.register(members, ZkLayout.defaults(), Fixtures.router("router-1", "10.1.1.1", false, 500_000)));
        HttpJson api = new HttpJson(server.localUrl()).withToken(TOKEN);
        await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/api/v1/agents").json().path("total").asInt() == 2
                && api.get("/api/v1/routers").json().path("total").asInt() == 1);
    }

    @AfterAll
    static void stop() throws IOException {
        for (EphemeralRegistration r : registrations) {
            r.close();
        }
        members.close();
        server.close();
        zk.close();
    }

    /** Exit code, stdout, stderr. */
    record Run(int code, String out, String err) {
        JsonNode json() throws IOException {
            return JSON.readTree(out);
        }
    }

    static Run ctl(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new CtlCommand());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static Run ctlAuth(String... args) {
        List<String> all = new ArrayList<>(List.of("--url", server.localUrl(), "--token", TOKEN));
        all.addAll(List.of(args));
        return ctl(all.toArray(new String[0]));
    }

    static Path file(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    @Test
    void theTaskLifecycleThroughTheCli() throws IOException {
        Path yaml = file("nginx.yaml", """
                id: nginx
                paths: [/var/log/nginx/*.log]
                topic: logs-nginx
                hosts:
                  hostnames: [web-*]
                  labels: {env: prod}
                """);
        Run created = ctlAuth("task", "create", "-f", yaml.toString());
        assertThat(created.code()).as(created.err()).isZero();
        assertThat(created.out()).contains("task nginx created (version 0)");

        Run again = ctlAuth("task", "create", "-f", yaml.toString());
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("HTTP 409").contains("already exists");

        Run list = ctlAuth("task", "list");
        assertThat(list.code()).isZero();
        String[] lines = list.out().split("\n");
        assertThat(lines[0]).startsWith("ID").contains("VERSION").contains("TOPIC");
        assertThat(list.out()).containsPattern("nginx\\s+0\\s+logs-nginx\\s+web-\\* env=prod\\s+/var/log/nginx/\\*\\.log");

        Run get = ctlAuth("task", "get", "nginx");
        assertThat(get.code()).as(get.err()).isZero();
        assertThat(get.out()).contains("version:  0").contains("topic: logs-nginx")
                .contains("1 agents running it, 1 matching its hosts")
                .containsPattern("agent-web-1\\s+web-1\\s+running\\s+3\\s+2\\.0 KiB\\s+1\\.5s\\s+42")
                .containsPattern("TOTAL\\s+running=1\\s+3")
                .contains("dropped: compressed 10.0 KiB; overLongLine 2 lines, 512 B");

        Run getJson = ctlAuth("task", "get", "nginx", "--json");
        assertThat(getJson.code()).isZero();
        JsonNode j = getJson.json();
        assertThat(j.path("version").asInt()).isZero();
        assertThat(j.path("task").path("topic").asText()).isEqualTo("logs-nginx");
        assertThat(j.path("status").path("summary").path("backlogBytes").asLong()).isEqualTo(2048);
        assertThat(j.path("status").path("summary").path("droppedBytesByReason").path("compressed").asLong()).isEqualTo(10_240);

        Path json = file("nginx-v2.json", "{\"id\":\"nginx\",\"paths\":[\"/var/log/nginx/v2/*.log\"],\"topic\":\"logs-nginx\"}");
        Run stale = ctlAuth("task", "update", "-f", json.toString(), "--version", "7");
        assertThat(stale.code()).isEqualTo(1);
        assertThat(stale.err()).contains("HTTP 409");
        Run updated = ctlAuth("task", "update", "-f", json.toString());
        assertThat(updated.code()).as(updated.err()).isZero();
        assertThat(updated.out()).contains("task nginx updated to version 1");

        Run deleted = ctlAuth("task", "delete", "nginx");
        assertThat(deleted.code()).isZero();
        assertThat(deleted.out()).contains("task nginx deleted (was version 1)");
        Run gone = ctlAuth("task", "get", "nginx");
        assertThat(gone.code()).isEqualTo(1);
        assertThat(gone.err()).contains("HTTP 404").contains("'nginx' does not exist");
    }

    @Test
    void apiErrorsArePrintedWithTheirFieldsAndExitWith1() throws IOException {
        Path bad = file("bad.yaml", "id: bad\npaths: [relative/*.log]\ntopic: 'no spaces please'\n");
        Run r = ctlAuth("task", "create", "-f", bad.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("HTTP 400").contains("paths[0]: ").contains("topic: ");

        Run noToken = ctl("--url", server.localUrl(), "task", "create", "-f", file("t.yaml", "id: t\npaths: [/a]\n").toString());
        assertThat(noToken.code()).isEqualTo(1);
        assertThat(noToken.err()).contains("HTTP 401");

        Run unreachable = ctl("--url", "http://127.0.0.1:" + FreePorts.next(), "task", "list");
        assertThat(unreachable.code()).isEqualTo(1);
        assertThat(unreachable.err()).contains("cannot reach the control server");

        Run noScheme = ctl("--url", "localhost:7400", "task", "list");
        assertThat(noScheme.code()).isEqualTo(1);
        assertThat(noScheme.err()).contains("bad --url");
    }

    @Test
    void usageErrorsExitWith2() {
        assertThat(ctl("task", "frobnicate").code()).isEqualTo(2);
        assertThat(ctl("task", "create").code()).isEqualTo(2);
        assertThat(ctl("--bogus").code()).isEqualTo(2);
        assertThat(ctl().code()).isEqualTo(2);
        Run missing = ctlAuth("task", "create", "-f", dir.resolve("nope.yaml").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("does not exist");
        assertThat(ctlAuth("agents", "--limit", "0").code()).isEqualTo(2);
        assertThat(ctl("--help").code()).isZero();
    }

    @Test
    void globalOptionsWorkAfterTheSubcommandToo() {
        Run r = ctl("agents", "--url", server.localUrl(), "--json", "--token", TOKEN);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"total\" : 2");
    }

    @Test
    void agentsAndRoutersAsTablesAndJson() throws IOException {
        Run agents = ctlAuth("agents", "--host", "web-*", "--label", "env=prod");
        assertThat(agents.code()).as(agents.err()).isZero();
        assertThat(agents.out().split("\n")[0]).startsWith("ID").contains("HOST").contains("TASKS");
        assertThat(agents.out()).containsPattern("agent-web-1\\s+web-1\\s+0\\.1\\.0\\s+env=prod\\s+nginx\\s+router-1:7100")
                .doesNotContain("agent-db-1").contains("1 agents");

        Run byTask = ctlAuth("agents", "--task", "nginx", "--json");
        assertThat(byTask.json().path("items").findValuesAsText("id")).containsExactly("agent-web-1");

        Run limited = ctlAuth("agents", "--limit", "1");
        assertThat(limited.out()).contains("1 of 2 agents shown");

        Run routers = ctlAuth("routers");
        assertThat(routers.code()).isZero();
        assertThat(routers.out()).containsPattern("router-1\\s+10\\.1\\.1\\.1:7100\\s+active\\s+50%");
        assertThat(ctlAuth("routers", "--json").json().path("items").get(0).path("load").asDouble()).isEqualTo(0.5);
    }

    @Test
    void aConfigFileSuppliesUrlAndToken() throws IOException {
        Path cfg = file("ctl.yaml", "url: " + server.localUrl() + "\ntoken: " + TOKEN + "\n");
        Run created = ctl("--config", cfg.toString(), "task", "create", "-f", file("cfg.yaml", "id: from-config\npaths: [/a/*.log]\n").toString());
        assertThat(created.code()).as(created.err()).isZero();
        assertThat(ctl("task", "delete", "from-config", "--config", cfg.toString()).code()).isZero();
        Run bad = ctl("--config", file("bad-ctl.yaml", "adress: x\n").toString(), "task", "list");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("adress");
    }

    @Test
    void aTokenFileAuthenticatesAndHistoryShowsWhoChangedWhat() throws IOException {
        Path tokenFile = file("token", TOKEN + "\n");
        String url = server.localUrl();
        Run created = ctl("--url", url, "--token-file", tokenFile.toString(), "task", "create", "-f",
                file("hist.yaml", "id: hist\npaths: [/a/*.log]\n").toString());
        assertThat(created.code()).as(created.err()).isZero();
        Run updated = ctl("--url", url, "--token-file", tokenFile.toString(), "task", "update", "-f",
                file("hist2.yaml", "id: hist\npaths: [/b/*.log]\ntopic: ds-hist\n").toString());
        assertThat(updated.code()).as(updated.err()).isZero();
        Run history = ctl("--url", url, "--token-file", tokenFile.toString(), "task", "history", "hist");
        assertThat(history.code()).as(history.err()).isZero();
        String[] lines = history.out().split("\n");
        assertThat(lines[0]).startsWith("TIME").contains("ACTOR").contains("CHANGED");
        assertThat(lines[1]).contains("admin").contains("updated").contains("paths, topic");
        assertThat(lines[2]).contains("admin").contains("created");
        Run missing = ctl("--url", url, "--token-file", dir.resolve("no-such-token").toString(), "task", "list");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("--token-file: cannot read");
        assertThat(ctlAuth("task", "delete", "hist").code()).isZero();
        assertThat(ctl("--url", url, "--token-file", tokenFile.toString(), "task", "history", "hist").out()).contains("deleted");
    }

    @Test
    void controlCommandRefusesABadConfigWithExitCode2() throws IOException {
        Path cfg = file("control.yaml", "http: {port: -5}\n");
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new ControlCommand());
        cmd.setErr(new PrintWriter(err, true));
        assertThat(cmd.execute("--config", cfg.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("http.port: must be in [0, 65535], was -5");
    }
}
