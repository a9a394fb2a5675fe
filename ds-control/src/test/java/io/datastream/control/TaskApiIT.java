package io.datastream.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.datastream.control.api.RestApi;
import io.datastream.embedded.zk.EmbeddedZooKeeper;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.http.HttpRequest;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The task REST API over HTTP against a real ZooKeeper. */
class TaskApiIT {
    static final String TOKEN = "t0ken-for-the-tests";
    static final String READER_TOKEN = "reader-t0ken-for-tests";
    static final String WRITER_TOKEN = "writer-t0ken-for-tests";
    static EmbeddedZooKeeper zk;
    static ControlServer secured;
    static ControlServer open;
    static HttpJson api;
    static HttpJson anonymous;
    static HttpJson reader;
    static HttpJson writer;
    static HttpJson openApi;

    @BeforeAll
    static void start() {
        zk = EmbeddedZooKeeper.start();
        secured = ControlServer.start(ControlConfig.fromYaml("http: {host: 127.0.0.1, port: 0, maxBodyBytes: 4096}\nstore: {path: target/ops-db/secured.db}\n"
                + "zookeeper: {connect: '" + zk.connectString() + "', root: /secured}\n"
                + "auth:\n  token: " + TOKEN + "\n  tokens:\n"
                + "    - {name: dashboards, role: read, token: " + READER_TOKEN + "}\n"
                + "    - {name: deployer, role: write, tokenEnv: DS_TEST_WRITER_TOKEN}\n"
                + "allowedTopics: 'logs-.*'\n"));
        open = ControlServer.start(ControlConfig.fromYaml("http: {host: 0.0.0.0, port: 0}\nstore: {path: target/ops-db/open.db}\n"
                + "zookeeper: {connect: '" + zk.connectString() + "', root: /open}\n"));
        anonymous = new HttpJson(secured.localUrl());
        api = anonymous.withToken(TOKEN);
        reader = anonymous.withToken(READER_TOKEN);
        writer = anonymous.withToken(WRITER_TOKEN);
        openApi = new HttpJson(open.localUrl());
    }

    @AfterAll
    static void stop() {
        secured.close();
        open.close();
        zk.close();
    }

    @Test
    void createReadUpdateDeleteWithVersions() {
        HttpJson.Answer created = api.post("/api/v1/tasks", Fixtures.task("crud", "logs-crud"));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo("/api/v1/tasks/crud");
        assertThat(created.header("ETag")).isEqualTo("\"0\"");
        assertThat(created.json().path("version").asInt()).isZero();
        assertThat(created.json().path("task").path("codec").asText()).isEqualTo("lz4");

        HttpJson.Answer read = reader.get("/api/v1/tasks/crud");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().path("task").path("paths").get(0).asText()).isEqualTo("/var/log/crud/*.log");
        assertThat(reader.get("/api/v1/tasks").json().path("items").findValuesAsText("id")).contains("crud");

        String v1 = "{\"paths\":[\"/var/log/crud/v1/*.log\"],\"topic\":\"logs-crud\"}";
        HttpJson.Answer updated = api.put("/api/v1/tasks/crud", v1, "\"0\"");
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().path("version").asInt()).isEqualTo(1);

        HttpJson.Answer stale = api.put("/api/v1/tasks/crud", "{\"paths\":[\"/stale/*.log\"]}", "\"0\"");
        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.error()).contains("not at version 0");
        assertThat(reader.get("/api/v1/tasks/crud").json().path("task").path("paths").get(0).asText())
                .isEqualTo("/var/log/crud/v1/*.log");

        HttpJson.Answer byField = api.put("/api/v1/tasks/crud", "{\"version\":1,\"paths\":[\"/var/log/crud/v2/*.log\"]}", null);
        assertThat(byField.status()).isEqualTo(200);
        assertThat(byField.json().path("version").asInt()).isEqualTo(2);

        assertThat(api.delete("/api/v1/tasks/crud", "\"1\"").status()).isEqualTo(409);
        assertThat(api.delete("/api/v1/tasks/crud", "\"2\"").status()).isEqualTo(204);
        assertThat(reader.get("/api/v1/tasks/crud").status()).isEqualTo(404);
        assertThat(api.delete("/api/v1/tasks/crud", "*").status()).isEqualTo(404);
    }

    @Test
    void createExistingIsAConflictAndWritesNeedAVersion() {
        assertThat(api.post("/api/v1/tasks", Fixtures.task("twice", null)).status()).isEqualTo(201);
        HttpJson.Answer again = api.post("/api/v1/tasks", Fixtures.task("twice", "logs-x"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.error()).contains("already exists");

        HttpJson.Answer noVersion = api.put("/api/v1/tasks/twice", Fixtures.task("twice", null), null);
        assertThat(noVersion.status()).isEqualTo(428);
        assertThat(noVersion.fields()).containsExactly("version");
        assertThat(api.delete("/api/v1/tasks/twice", null).status()).isEqualTo(428);
        HttpJson.Answer clash = api.put("/api/v1/tasks/twice", "{\"version\":0,\"paths\":[\"/a\"]}", "\"3\"");
        assertThat(clash.status()).isEqualTo(400);
        assertThat(clash.fields()).containsExactly("version");
        assertThat(api.put("/api/v1/tasks/twice", "{\"paths\":[\"/b\"]}", "*").status()).isEqualTo(200);
        assertThat(api.send(api.req("/api/v1/tasks/twice?version=1").DELETE()).status()).isEqualTo(204);
    }

    @Test
    void everyKindOfBadInputIs400WithTheFieldAndNothingIsWritten() {
        assertBad("{\"id\":\"bad1\",\"paths\":[\"/a\"", "body");
        assertBad("{\"id\":\"bad1\",\"paths\":[\"/a\"],\"colour\":\"red\"}", "colour");
        assertBad("{\"id\":\"bad1\",\"paths\":[\"/a\"],\"maxLineBytes\":\"big\"}", "maxLineBytes");
        assertBad("{\"id\":\"bad1\",\"paths\":{\"a\":1}}", "paths");
        assertBad("{\"id\":\"bad1\",\"paths\":[\"/var/log/[a-\"]}", "paths[0]");
        assertBad("{\"id\":\"bad1\",\"paths\":[\"/a\"],\"hosts\":{\"hostnames\":[\"web-{a\"]}}", "hosts.hostnames");
        assertBad("{\"id\":\"bad1\",\"paths\":[\"/a\"],\"multiline\":{\"startPattern\":\"^(\\\\d+\"}}", "multiline.startPattern");
        assertBad("{\"id\":\"bad1\",\"paths\":[\"/a\"],\"topic\":\"logs nginx\"}", "topic");
        HttpJson.Answer disallowed = assertBad("{\"id\":\"bad1\",\"paths\":[\"/a\"],\"topic\":\"payments\"}", "topic");
        assertThat(disallowed.json().path("fields").get(0).path("message").asText()).contains("not allowed");

        HttpJson.Answer big = api.post("/api/v1/tasks", "{\"id\":\"bad1\",\"paths\":[\"/" + "a".repeat(5000) + "\"]}");
        assertThat(big.status()).isEqualTo(413);
        assertThat(big.error()).contains("4096");
        assertThat(reader.get("/api/v1/tasks/bad1").status()).isEqualTo(404);

        // a refused update leaves the stored task as it was
        assertThat(api.post("/api/v1/tasks", Fixtures.task("keep", "logs-keep")).status()).isEqualTo(201);
        HttpJson.Answer badUpdate = api.put("/api/v1/tasks/keep", "{\"paths\":[\"relative\"],\"topic\":\"payments\"}", "\"0\"");
        assertThat(badUpdate.status()).isEqualTo(400);
        assertThat(badUpdate.fields()).containsExactlyInAnyOrder("paths[0]", "topic");
        HttpJson.Answer kept = reader.get("/api/v1/tasks/keep");
        assertThat(kept.json().path("version").asInt()).isZero();
        assertThat(kept.json().path("task").path("topic").asText()).isEqualTo("logs-keep");

        HttpJson.Answer badId = reader.get("/api/v1/tasks/-x");
        assertThat(badId.status()).isEqualTo(400);
        assertThat(badId.fields()).containsExactly("id");
    }

    private HttpJson.Answer assertBad(String body, String field) {
        HttpJson.Answer a = api.post("/api/v1/tasks", body);
        assertThat(a.status()).as(body).isEqualTo(400);
        assertThat(a.fields()).as(body).contains(field);
        assertThat(a.error()).isNotBlank();
        assertThat(reader.get("/api/v1/tasks/bad1").status()).isEqualTo(404);
        return a;
    }

    @Test
    void randomlyMangledBodiesNeverGetA500() {
        Random random = new Random(42);
        String valid = "{\"id\":\"fuzz\",\"paths\":[\"/var/log/*.log\"],\"topic\":\"logs-a\",\"headers\":{\"k\":\"v\"},"
                + "\"multiline\":{\"startPattern\":\"^\\\\d\",\"maxLines\":10},\"hosts\":{\"hostnames\":[\"w*\"],\"labels\":{\"a\":\"b\"}}}";
        String alphabet = "{}[]\":,0-9.aZ\\/ null true -1e99";
        for (int i = 0; i < 300; i++) {
            StringBuilder b = new StringBuilder(valid);
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits; e++) {
                int at = random.nextInt(b.length());
                if (random.nextBoolean()) {
                    b.deleteCharAt(at);
                } else {
                    b.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            HttpJson.Answer a = api.post("/api/v1/tasks", b.toString());
            assertThat(a.status()).as(b.toString()).isIn(201, 400, 409);
            assertThat(a.json()).as(b.toString()).isNotNull();
            if (a.status() == 201) {
                String id = a.json().path("task").path("id").asText();
                assertThat(api.delete("/api/v1/tasks/" + id, "*").status()).isEqualTo(204);
            }
        }
    }

    @Test
    void everyCallNeedsATokenWhoseRoleAllowsIt() {
        HttpJson.Answer noToken = anonymous.post("/api/v1/tasks", Fixtures.task("auth", "logs-a"));
        assertThat(noToken.status()).isEqualTo(401);
        assertThat(noToken.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(anonymous.withToken("wrong-but-long-enough").post("/api/v1/tasks", Fixtures.task("auth", "logs-a")).status()).isEqualTo(401);
        assertThat(anonymous.get("/api/v1/tasks").status()).as("reads need a token too").isEqualTo(401);
        assertThat(anonymous.get("/api/v1/agents").status()).isEqualTo(401);
        assertThat(reader.get("/api/v1/tasks/auth").status()).isEqualTo(404);
        HttpJson.Answer readOnly = reader.post("/api/v1/tasks", Fixtures.task("auth", "logs-a"));
        assertThat(readOnly.status()).isEqualTo(403);
        assertThat(readOnly.error()).isEqualTo("token 'dashboards' has role read; this call needs write");
        assertThat(writer.post("/api/v1/tasks", Fixtures.task("auth", "logs-a")).status()).isEqualTo(201);
        assertThat(anonymous.put("/api/v1/tasks/auth", Fixtures.task("auth", null), "*").status()).isEqualTo(401);
        assertThat(reader.delete("/api/v1/tasks/auth", "*").status()).isEqualTo(403);
        assertThat(anonymous.delete("/api/v1/tasks/auth", "*").status()).isEqualTo(401);
        assertThat(reader.get("/api/v1/tasks/auth").status()).isEqualTo(200);
        assertThat(reader.get("/api/v1/tasks").status()).isEqualTo(200);
        assertThat(api.delete("/api/v1/tasks/auth", "*").status()).isEqualTo(204);

        // the audit trail names the token that made each change
        HttpJson.Answer history = reader.get("/api/v1/tasks/auth/history");
        assertThat(history.status()).isEqualTo(200);
        assertThat(history.json().path("items").findValuesAsText("actor")).containsExactly("admin", "deployer");
        assertThat(history.json().path("items").findValuesAsText("action")).containsExactly("deleted", "created");
        assertThat(history.json().path("items").get(0).path("before").path("topic").asText()).isEqualTo("logs-a");
        assertThat(anonymous.get("/api/v1/tasks/auth/history").status()).isEqualTo(401);
        assertThat(reader.get("/api/v1/tasks/never-there/history").status()).isEqualTo(404);
    }

    @Test
    void writesMustBeJsonAndNotFromAnotherSite() {
        HttpJson.Answer form = api.send(api.req("/api/v1/tasks").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(Fixtures.task("csrf", "logs-a"))));
        assertThat(form.status()).isEqualTo(415);
        assertThat(form.error()).contains("application/json");
        HttpJson.Answer crossSite = api.send(api.req("/api/v1/tasks").header("Content-Type", "application/json")
                .header("Origin", "http://evil.example").POST(HttpRequest.BodyPublishers.ofString(Fixtures.task("csrf", "logs-a"))));
        assertThat(crossSite.status()).isEqualTo(403);
        assertThat(crossSite.error()).contains("Origin http://evil.example");
        String own = secured.localUrl().replaceAll("/+$", "");
        HttpJson.Answer sameSite = api.send(api.req("/api/v1/tasks").header("Content-Type", "application/json")
                .header("Origin", own).POST(HttpRequest.BodyPublishers.ofString(Fixtures.task("csrf", "logs-a"))));
        assertThat(sameSite.status()).as(own).isEqualTo(201);
        assertThat(reader.get("/api/v1/tasks/csrf").status()).isEqualTo(200);
        assertThat(api.delete("/api/v1/tasks/csrf", "*").status()).isEqualTo(204);
    }

    @Test
    void withoutATokenOnlyLoopbackClientsAddressingLocalhostAreServed() throws Exception {
        assertThat(openApi.post("/api/v1/tasks", Fixtures.task("loop", "anything")).status()).isEqualTo(201);
        assertThat(openApi.get("/api/v1/tasks/loop").status()).isEqualTo(200);
        assertThat(openApi.get("/api/v1/tasks/loop/history").json().path("items").findValuesAsText("actor")).containsExactly("loopback");
        // DNS rebinding: a page whose name now resolves to 127.0.0.1 still sends its own name as Host
        String rebound = rawGet(open.port(), "/api/v1/tasks/loop", "attacker.example:" + open.port());
        assertThat(rebound).startsWith("HTTP/1.1 403").contains("not Host attacker.example");
        assertThat(rawGet(open.port(), "/api/v1/tasks/loop", "localhost:" + open.port())).startsWith("HTTP/1.1 200");
        InetAddress external = externalAddress();
        assumeTrue(external != null, "no non-loopback IPv4 address on this machine");
        HttpJson remote = new HttpJson("http://" + external.getHostAddress() + ":" + open.port());
        HttpJson.Answer refused = remote.post("/api/v1/tasks", Fixtures.task("remote", null));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.error()).contains("loopback");
        assertThat(remote.get("/api/v1/tasks/loop").status()).isEqualTo(403);
        assertThat(remote.get("/health").status()).isEqualTo(200);
    }

    /** A GET with a Host header of our choosing (HttpClient does not let one set it); the whole answer. */
    private static String rawGet(int port, String path, String host) throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static InetAddress externalAddress() throws Exception {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
                    return a;
                }
            }
        }
        return null;
    }

    @Test
    void unknownThingsAre404WithAJsonError() {
        HttpJson.Answer task = reader.get("/api/v1/tasks/nope");
        assertThat(task.status()).isEqualTo(404);
        assertThat(task.error()).contains("'nope' does not exist");
        HttpJson.Answer route = reader.get("/api/v2/everything");
        assertThat(route.status()).isEqualTo(404);
        assertThat(route.json().has("error")).isTrue();
        assertThat(api.put("/api/v1/tasks/nope", Fixtures.task("nope", null), "*").status()).isEqualTo(404);
    }

    @Test
    void healthMetricsAndTheOpenApiDescriptionAreServed() {
        HttpJson.Answer health = anonymous.get("/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("status").asText()).isEqualTo("UP");
        reader.get("/api/v1/tasks");
        HttpJson.Answer metrics = anonymous.get("/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.text()).contains("ds_control_http_requests_total{method=\"GET\",route=\"/api/v1/tasks\",status=\"200\"}")
                .contains("ds_control_zookeeper_connected 1").contains("ds_control_agents");
        HttpJson.Answer spec = reader.get("/api/openapi.yaml");
        assertThat(spec.status()).isEqualTo(200);
        assertThat(spec.text()).startsWith("openapi: 3");
    }

    @Test
    void everyRouteInTheCodeIsInTheOpenApiDescriptionAndBack() throws Exception {
        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(reader.get("/api/openapi.yaml").text());
        Set<String> documented = new HashSet<>();
        Iterator<String> paths = doc.path("paths").fieldNames();
        while (paths.hasNext()) {
            String p = paths.next();
            Iterator<String> methods = doc.path("paths").path(p).fieldNames();
            while (methods.hasNext()) {
                String m = methods.next();
                if (!m.equals("parameters")) {
                    documented.add(m.toUpperCase() + " " + p);
                }
            }
        }
        List<RestApi.Route> routes = secured.routes();
        assertThat(routes).hasSizeGreaterThan(10);
        Set<String> served = new HashSet<>();
        for (RestApi.Route r : routes) {
            served.add(r.method() + " " + r.path());
        }
        assertThat(documented).as("documented routes").containsExactlyInAnyOrderElementsOf(served);
    }

    @Test
    void aTakenPortIsAClearStartupError() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ControlConfig cfg = ControlConfig.fromYaml("http: {host: 127.0.0.1, port: " + taken.getLocalPort() + "}\nstore: {path: target/ops-db/taken.db}\n"
                    + "zookeeper: {connect: '" + zk.connectString() + "'}\n");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ControlServer.start(cfg))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("http.port");
        }
    }

    @Test
    void chunkedBodiesOverTheLimitAreRefusedToo() {
        byte[] big = new byte[10_000];
        java.util.Arrays.fill(big, (byte) ' ');
        HttpRequest.Builder b = api.req("/api/v1/tasks").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big)));
        HttpJson.Answer a = api.send(b);
        assertThat(a.status()).isEqualTo(413);
        assertThat(a.fields()).containsExactly("body");
    }
}
