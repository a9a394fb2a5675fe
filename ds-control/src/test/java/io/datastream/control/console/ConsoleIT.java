package io.datastream.control.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.datastream.control.ControlConfig;
import io.datastream.control.ControlServer;
import io.datastream.control.Fixtures;
import io.datastream.control.HttpJson;
import io.datastream.embedded.zk.EmbeddedZooKeeper;
import io.datastream.registry.ZkClients;
import io.datastream.registry.ZkLayout;
import io.datastream.registry.member.EphemeralRegistration;
import io.datastream.registry.member.TaskStatus;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.apache.curator.framework.CuratorFramework;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real headless Chromium (Debian's chromium and chromium-driver) against a
 * real control server and ZooKeeper: the task workflow through the forms, field errors from the
 * API, roles, the overview chart drawn from reported counts, and the same-origin rule for writes.
 * Screenshots of each page go to target/console-screenshots.
 */
class ConsoleIT {
    static final String ADMIN = "console-admin-token-for-tests";
    static final String READER = "console-reader-token-for-tests";
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    static EmbeddedZooKeeper zk;
    static ControlServer secured;
    static ControlServer open;
    static HttpJson admin;
    static HttpJson reader;
    static HttpJson loopback;
    static WebDriver browser;
    static WebDriverWait until;

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "the console tests need Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver; .ci/run does)");
        zk = EmbeddedZooKeeper.start();
        secured = ControlServer.start(ControlConfig.fromYaml("http: {host: 127.0.0.1, port: 0}\n"
                + "store: {path: target/ops-db/console-secured-" + System.nanoTime() + ".db}\n"
                + "zookeeper: {connect: '" + zk.connectString() + "', root: /console-secured}\n"
                + "auth:\n  token: " + ADMIN + "\n  tokens:\n    - {name: viewer, role: read, token: " + READER + "}\n"
                + "allowedTopics: 'logs-.*'\n"));
        open = ControlServer.start(ControlConfig.fromYaml("http: {host: 127.0.0.1, port: 0}\n"
                + "store: {path: target/ops-db/console-open-" + System.nanoTime() + ".db}\n"
                + "zookeeper: {connect: '" + zk.connectString() + "', root: /console-open}\n"));
        admin = new HttpJson(secured.localUrl()).withToken(ADMIN);
        reader = new HttpJson(secured.localUrl()).withToken(READER);
        loopback = new HttpJson(open.localUrl());

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1100",
                "--user-data-dir=" + Files.createTempDirectory("chromium").toAbsolutePath());
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        until = new WebDriverWait(browser, Duration.ofSeconds(30));
        // the page re-renders on every refresh: an element found just before may be gone when it is read
        until.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (secured != null) {
            secured.close();
        }
        if (open != null) {
            open.close();
        }
        if (zk != null) {
            zk.close();
        }
    }

    @AfterEach
    void noScriptOrPolicyErrors(TestInfo test) {
        List<String> bad = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                // refusals the tests provoke on purpose are logged by the browser as failed requests
                .filter(m -> !m.contains("the server responded with a status of 4"))
                .filter(m -> !m.contains("CORS policy") && !m.contains("Failed to fetch") && !m.contains("/api/v1/tasks - Failed"))
                .toList();
        assertThat(bad).as("severe browser console messages in " + test.getDisplayName()).isEmpty();
    }

    @Test
    void anAdminCreatesATaskSeesFieldErrorsEditsItSeesTheHistoryAndDeletesIt() {
        logIn(secured, ADMIN);
        assertThat(text("who")).isEqualTo("admin (admin)");

        browser.get(secured.localUrl() + "/ui/#/tasks");
        click("new-task");
        type("f-id", "shop");
        type("f-paths", "var/log/shop/*.log");
        type("f-topic", "logs-shop");
        type("f-maxLineBytes", "lots");
        click("save-task");
        // a value of the wrong type is refused before the task is validated: that error alone
        until.until(d -> !text("error-f-maxLineBytes").isEmpty());
        assertThat(text("error-f-maxLineBytes")).startsWith("maxLineBytes:").contains("integer");
        assertThat(browser.findElement(By.id("f-maxLineBytes")).getAttribute("aria-invalid")).isEqualTo("true");

        type("f-maxLineBytes", "");
        click("save-task");
        until.until(d -> !text("error-f-paths").isEmpty());
        assertThat(text("error-f-paths")).contains("paths[0]").contains("absolute");
        assertThat(browser.findElement(By.id("f-paths")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(text("error-f-maxLineBytes")).isEmpty();
        assertThat(text("error-f-topic")).isEmpty();
        screenshot("task-form-errors");
        assertThat(admin.get("/api/v1/tasks/shop").status()).isEqualTo(404);

        type("f-paths", "/var/log/shop/*.log");
        click("save-task");
        until.until(ExpectedConditions.textToBe(By.id("task-version"), "0"));
        assertThat(text("task-id")).isEqualTo("shop");

        click("edit-task");
        type("f-topic", "logs-shop-v2");
        click("save-task");
        until.until(ExpectedConditions.textToBe(By.id("task-version"), "1"));
        until.until(ExpectedConditions.presenceOfElementLocated(By.id("history-table")));
        String history = text("history-table");
        assertThat(history).contains("created").contains("updated").contains("topic: \"logs-shop\" -> \"logs-shop-v2\"").contains("admin");
        screenshot("task-detail");
        HttpJson.Answer stored = reader.get("/api/v1/tasks/shop");
        assertThat(stored.json().path("version").asInt()).isEqualTo(1);
        assertThat(stored.json().path("task").path("topic").asText()).isEqualTo("logs-shop-v2");
        assertThat(stored.json().path("task").path("maxLineBytes").asLong()).isEqualTo(1_048_576);

        click("delete-task");
        click("confirm-delete");
        until.until(d -> d.getCurrentUrl().endsWith("#/tasks"));
        until.until(d -> !d.findElements(By.id("task-table")).isEmpty() || !d.findElements(By.xpath("//main//p[text()='No task yet.']")).isEmpty());
        assertThat(admin.get("/api/v1/tasks/shop").status()).isEqualTo(404);
        assertThat(admin.get("/api/v1/tasks/shop/history").json().path("items").findValuesAsText("action"))
                .containsExactly("deleted", "updated", "created");
    }

    @Test
    void aDeleteOfAVersionChangedMeanwhileIsRefusedAndNothingIsDeleted() {
        assertThat(admin.post("/api/v1/tasks", Fixtures.task("raced", "logs-raced")).status()).isEqualTo(201);
        logIn(secured, ADMIN);
        browser.get(secured.localUrl() + "/ui/#/tasks/raced");
        until.until(ExpectedConditions.textToBe(By.id("task-version"), "0"));
        assertThat(admin.put("/api/v1/tasks/raced", "{\"paths\":[\"/var/log/raced/*.log\"],\"topic\":\"logs-other\"}", "\"0\"").status())
                .isEqualTo(200);
        click("delete-task");
        click("confirm-delete");
        until.until(d -> !text("action-error").isEmpty());
        assertThat(text("action-error")).contains("not at version 0");
        assertThat(admin.get("/api/v1/tasks/raced").status()).isEqualTo(200);
        assertThat(admin.delete("/api/v1/tasks/raced", "*").status()).isEqualTo(204);
    }

    @Test
    void aReadOnlyTokenSeesNoWriteButtons() {
        assertThat(admin.post("/api/v1/tasks", Fixtures.task("readable", "logs-readable")).status()).isEqualTo(201);
        assertThat(admin.post("/api/v1/alerts/rules", "{\"id\":\"readable-backlog\",\"kind\":\"backlogBytes\",\"threshold\":1000}").status())
                .isEqualTo(201);
        HttpJson.Answer me = reader.get("/api/v1/whoami");
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().path("role").asText()).isEqualTo("read");
        assertThat(me.json().path("name").asText()).isEqualTo("viewer");

        logIn(secured, READER);
        assertThat(text("who")).isEqualTo("viewer (read)");
        browser.get(secured.localUrl() + "/ui/#/tasks");
        until.until(ExpectedConditions.textToBePresentInElementLocated(By.id("task-table"), "readable"));
        assertThat(browser.findElements(By.id("new-task"))).isEmpty();
        browser.get(secured.localUrl() + "/ui/#/tasks/readable");
        until.until(ExpectedConditions.presenceOfElementLocated(By.id("history-table")));
        assertThat(browser.findElements(By.id("edit-task"))).isEmpty();
        assertThat(browser.findElements(By.id("delete-task"))).isEmpty();
        browser.get(secured.localUrl() + "/ui/#/alerts");
        until.until(ExpectedConditions.textToBePresentInElementLocated(By.id("rule-table"), "readable-backlog"));
        assertThat(browser.findElements(By.id("new-rule"))).isEmpty();
        assertThat(browser.findElements(By.cssSelector("#rule-table button"))).isEmpty();
        assertThat(browser.findElements(By.id("alert-history"))).hasSize(1);
        browser.get(secured.localUrl() + "/ui/#/alerts/readable-backlog");
        until.until(ExpectedConditions.presenceOfElementLocated(By.id("rule-history")));
        assertThat(browser.findElements(By.id("silence-1h"))).isEmpty();
        screenshot("read-only-alert");

        logIn(secured, "not-a-valid-token-at-all");
        until.until(d -> text("login-error").contains("refused"));
    }

    @Test
    void theInventoryIsFilteredByTheApiAndATaskShowsItsAgents() throws Exception {
        ZkLayout layout = new ZkLayout("/console-secured");
        assertThat(admin.post("/api/v1/tasks", "{\"id\":\"inv\",\"paths\":[\"/var/log/inv/*.log\"],\"topic\":\"logs-inv\","
                + "\"hosts\":{\"hostnames\":[\"web-*\"]}}").status()).isEqualTo(201);
        TaskStatus parked = new TaskStatus("parked", 3, 4096, 42_000, 10, 1000, 8, 0, 0, 1, "batch rejected: NO_ROUTE");
        try (CuratorFramework members = ZkClients.start(zk.connectString());
             EphemeralRegistration web1 = Fixtures.register(members, layout,
                     Fixtures.agent("agent-web-1", "web-1", Map.of("env", "prod"), Map.of("inv", Fixtures.running(2, 1024, 300, 50))));
             EphemeralRegistration web2 = Fixtures.register(members, layout,
                     Fixtures.agent("agent-web-2", "web-2", Map.of("env", "prod"), Map.of("inv", parked)));
             EphemeralRegistration db1 = Fixtures.register(members, layout, Fixtures.agent("agent-db-1", "db-1", Map.of(), Map.of()));
             EphemeralRegistration router = Fixtures.register(members, layout, Fixtures.router("router-1", "10.0.0.1", false, 250_000))) {
            logIn(secured, READER);
            browser.get(secured.localUrl() + "/ui/#/agents");
            until.until(ExpectedConditions.textToBe(By.id("agent-count"), "3 agents"));
            type("filter-host", "web-*");
            browser.findElement(By.id("filter-state")).sendKeys("parked");
            click("filter-submit");
            until.until(ExpectedConditions.textToBe(By.id("agent-count"), "1 agents"));
            assertThat(text("agent-table")).contains("agent-web-2").contains("parked, 3 files").contains("NO_ROUTE")
                    .doesNotContain("agent-web-1");
            screenshot("agents");
            type("filter-host", "web-[");
            click("filter-submit");
            until.until(d -> !d.findElements(By.cssSelector("main p.error")).isEmpty());
            assertThat(browser.findElement(By.cssSelector("main p.error")).getText()).contains("host");
            assertThat(browser.findElement(By.id("filter-host")).getAttribute("value")).isEqualTo("web-[");

            browser.get(secured.localUrl() + "/ui/#/routers");
            until.until(ExpectedConditions.textToBePresentInElementLocated(By.id("router-table"), "router-1"));
            assertThat(text("router-table")).contains("25%").contains("active");

            // an agent whose node goes away is listed down, and counted on the overview
            EphemeralRegistration gone = Fixtures.register(members, layout, Fixtures.agent("agent-web-9", "web-9", Map.of("env", "prod"), Map.of()));
            until.until(d -> reader.get("/api/v1/agents/agent-web-9").status() == 200);
            gone.close();
            browser.get(secured.localUrl() + "/ui/#/agents?state=down");
            until.until(ExpectedConditions.textToBe(By.id("agent-count"), "1 agents down"));
            assertThat(text("agent-table")).contains("agent-web-9").contains("down ").doesNotContain("agent-web-1");
            assertThat(browser.findElements(By.cssSelector("#agent-table tr.down"))).hasSize(1);
            screenshot("agents-down");
            browser.get(secured.localUrl() + "/ui/#/overview");
            until.until(ExpectedConditions.textToBe(By.id("agents-down"), "1"));
            assertThat(text("agents-live")).isEqualTo("3");
            assertThat(text("routers-down")).isEqualTo("0");

            browser.get(secured.localUrl() + "/ui/#/tasks/inv");
            until.until(ExpectedConditions.textToBePresentInElementLocated(By.id("task-agents"), "agent-web-2"));
            assertThat(text("task-agents")).contains("2 agents run it, 2 match its hosts").contains("agent-web-1").contains("parked")
                    .contains("42.0 s");
        }
    }

    @Test
    void alertRulesAreCreatedWithFieldErrorsSilencedAndShowTheirHistory() {
        logIn(secured, ADMIN);
        browser.get(secured.localUrl() + "/ui/#/alerts");
        click("new-rule");
        type("a-id", "web-backlog");
        browser.findElement(By.id("a-kind")).sendKeys("backlogBytes");
        type("a-threshold", "1000");
        type("a-webhooks", "ftp://hooks.example/ds");
        click("save-rule");
        until.until(d -> !text("error-a-webhooks").isEmpty());
        assertThat(text("error-a-webhooks")).contains("webhooks[0]").contains("http");
        type("a-webhooks", "");
        type("a-scope-task", "web");
        click("save-rule");
        until.until(ExpectedConditions.presenceOfElementLocated(By.id("rule-history")));
        assertThat(admin.get("/api/v1/alerts/rules/web-backlog").json().path("scope").path("task").asText()).isEqualTo("web");
        click("silence-1h");
        until.until(d -> admin.get("/api/v1/alerts/rules/web-backlog").json().path("silencedUntilMillis").asLong() > 0);
        until.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "until "));
        screenshot("alert-rule");
        // from the list of rules: lift the silence, silence again
        browser.get(secured.localUrl() + "/ui/#/alerts");
        until.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#rule-table .lift-silence"))).click();
        until.until(d -> admin.get("/api/v1/alerts/rules/web-backlog").json().path("silencedUntilMillis").asLong() == 0);
        until.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#rule-table .silence-rule[data-rule='web-backlog']"))).click();
        until.until(d -> admin.get("/api/v1/alerts/rules/web-backlog").json().path("silencedUntilMillis").asLong() > 0);
    }

    @Test
    void theOverviewChartDrawsTheCountsReportedThroughTheApi() throws Exception {
        long minute = System.currentTimeMillis() / 60_000;
        report("agent", "agent-1", minute, "chart-a", "{\"linesRead\":700,\"backlogBytes\":2048}");
        report("agent", "agent-2", minute, "chart-b", "{\"linesRead\":500,\"backlogBytes\":1024}");
        report("router", "router-1", minute, "chart-a", "{\"linesToKafka\":700}");
        report("router", "router-1", minute, "chart-b", "{\"linesToKafka\":300}");
        report("sink", "sink-1", minute, "chart-a", "{\"linesCommitted\":600}");
        secured.ops().store().flush().get(10, TimeUnit.SECONDS);

        JsonNode all = reader.get("/api/v1/metrics").json();
        assertThat(all.has("task")).isFalse();
        assertThat(all.path("tiers").path("agent").get(0).path("counts").path("linesRead").asLong()).isEqualTo(1200);
        assertThat(all.path("tiers").path("agent").get(0).path("counts").path("backlogBytes").asLong()).isEqualTo(3072);
        assertThat(reader.get("/api/v1/metrics?source=agent-1").fields()).containsExactly("task");

        logIn(secured, ADMIN);
        browser.get(secured.localUrl() + "/ui/#/overview");
        until.until(ExpectedConditions.attributeToBe(By.id("overview-chart"), "data-lines", "1200,1000,600"));
        assertThat(browser.findElement(By.id("overview-chart")).getAttribute("data-points")).isEqualTo("1");
        assertThat(text("lines-read")).isEqualTo("1,200");
        assertThat(text("lines-committed")).isEqualTo("600");
        assertThat(text("backlog")).isEqualTo("3.0 KiB");
        // the series are drawn (uPlot paints on the next animation frame): the canvas gets pixels close
        // to the colour of the "read" series (#1f6feb)
        String bluePixels = "const c = document.querySelector('#overview-chart canvas');"
                + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;"
                + "for (let i = 0; i < d.length; i += 4) {"
                + "  if (d[i + 3] > 200 && Math.abs(d[i] - 0x1f) < 40 && Math.abs(d[i + 1] - 0x6f) < 40 && Math.abs(d[i + 2] - 0xeb) < 40) n++;"
                + "}"
                + "return n;";
        until.until(d -> ((Number) ((JavascriptExecutor) d).executeScript(bluePixels)).longValue() > 0);
        screenshot("overview");

        browser.findElement(By.id("overview-range")).sendKeys("last day");
        until.until(d -> d.getCurrentUrl().endsWith("#/overview?range=day"));
        until.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "lines read, last day"));
        until.until(ExpectedConditions.attributeToBe(By.id("overview-chart"), "data-lines", "1200,1000,600"));
    }

    @Test
    void onLoopbackWithoutTokensNoLoginIsNeededAndTheConsolesSameOriginWritesAreAccepted() {
        browser.get(open.localUrl() + "/ui/");
        until.until(ExpectedConditions.textToBe(By.id("who"), "loopback (admin)"));
        assertThat(browser.findElement(By.id("login")).isDisplayed()).isFalse();
        browser.get(open.localUrl() + "/ui/#/tasks/new");
        type("f-id", "local");
        type("f-paths", "/var/log/local/*.log");
        click("save-task");
        until.until(ExpectedConditions.textToBe(By.id("task-version"), "0"));
        assertThat(loopback.get("/api/v1/tasks/local/history").json().path("items").findValuesAsText("actor")).containsExactly("loopback");
        browser.get(open.localUrl() + "/ui/#/agents?host=web-*");
        until.until(ExpectedConditions.textToBe(By.id("agent-count"), "0 agents"));
        assertThat(browser.findElement(By.id("filter-host")).getAttribute("value")).isEqualTo("web-*");
    }

    @Test
    void aPageOnAnotherOriginCannotWriteThroughTheBrowser() throws Exception {
        HttpServer other = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] page = "<!doctype html><title>another site</title><p>another site</p>".getBytes(StandardCharsets.UTF_8);
        other.createContext("/", ex -> {
            ex.getResponseHeaders().add("Content-Type", "text/html");
            ex.sendResponseHeaders(200, page.length);
            ex.getResponseBody().write(page);
            ex.close();
        });
        other.start();
        try {
            browser.get("http://127.0.0.1:" + other.getAddress().getPort() + "/");
            Object outcome = ((JavascriptExecutor) browser).executeAsyncScript(
                    "const done = arguments[arguments.length - 1]; const url = arguments[0] + '/api/v1/tasks';"
                            + "const body = JSON.stringify({id: 'forged', paths: ['/var/log/forged/*.log']});"
                            + "const out = {};"
                            + "fetch(url, {method: 'POST', headers: {'Content-Type': 'application/json'}, body})"
                            + ".then(r => { out.json = 'status ' + r.status; }, e => { out.json = 'blocked'; })"
                            + ".then(() => fetch(url, {method: 'POST', mode: 'no-cors', headers: {'Content-Type': 'text/plain'}, body}))"
                            + ".then(r => { out.simple = r.type; }, e => { out.simple = 'blocked'; })"
                            + ".then(() => done(out));", open.localUrl());
            assertThat(outcome).isInstanceOf(Map.class);
            assertThat(((Map<?, ?>) outcome).get("json")).isEqualTo("blocked");
        } finally {
            other.stop(0);
        }
        assertThat(loopback.get("/api/v1/tasks/forged").status()).isEqualTo(404);

        // the rule itself, without a browser: the API's own origin may write, another origin may not
        String own = open.localUrl();
        HttpJson.Answer same = loopback.send(loopback.req("/api/v1/tasks").header("Content-Type", "application/json")
                .header("Origin", own).POST(HttpRequest.BodyPublishers.ofString(Fixtures.task("same-origin", null))));
        assertThat(same.status()).as(own).isEqualTo(201);
        HttpJson.Answer cross = loopback.send(loopback.req("/api/v1/tasks").header("Content-Type", "application/json")
                .header("Origin", "http://127.0.0.1:1").POST(HttpRequest.BodyPublishers.ofString(Fixtures.task("cross-origin", null))));
        assertThat(cross.status()).isEqualTo(403);
        assertThat(loopback.get("/api/v1/tasks/cross-origin").status()).isEqualTo(404);
    }

    @Test
    void theConsoleIsServedFromTheJarWithSecurityHeadersAndNoToken() {
        HttpJson anonymous = new HttpJson(secured.localUrl());
        HttpJson.Answer index = anonymous.get("/ui/");
        assertThat(index.status()).isEqualTo(200);
        assertThat(index.header("Content-Type")).startsWith("text/html");
        assertThat(index.text()).contains("<script type=\"module\" src=\"js/app.js\"></script>").doesNotContain("<script>");
        String csp = index.header("Content-Security-Policy");
        assertThat(csp).contains("script-src 'self'").contains("frame-ancestors 'none'").doesNotContain("unsafe-inline")
                .doesNotContain("unsafe-eval");
        assertThat(index.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(index.header("X-Content-Type-Options")).isEqualTo("nosniff");
        HttpJson.Answer uplot = anonymous.get("/ui/lib/uPlot.iife.min.js");
        assertThat(uplot.status()).isEqualTo(200);
        assertThat(uplot.header("Content-Type")).startsWith("text/javascript");
        assertThat(uplot.header("Content-Security-Policy")).isEqualTo(csp);
        assertThat(anonymous.get("/ui/js/app.js").status()).isEqualTo(200);
        assertThat(anonymous.get("/ui/js/nothing.js").status()).isEqualTo(404);
        assertThat(anonymous.get("/ui/..%2Fapi%2Fopenapi.yaml").status()).isEqualTo(404);
        HttpJson.Answer root = anonymous.send(anonymous.req("/ui").GET());
        assertThat(root.status()).isEqualTo(302);
        assertThat(root.header("Location")).isEqualTo("/ui/");
        // the data behind the console still needs a token
        assertThat(anonymous.get("/api/v1/whoami").status()).isEqualTo(401);
        assertThat(anonymous.get("/api/v1/tasks").status()).isEqualTo(401);
        assertThat(admin.get("/api/v1/whoami").json().path("role").asText()).isEqualTo("admin");
        assertThat(loopback.get("/api/v1/whoami").json().path("tokensConfigured").asBoolean()).isFalse();
    }

    private static void report(String kind, String id, long minute, String task, String counts) {
        String body = "{\"source\":{\"kind\":\"" + kind + "\",\"id\":\"" + id + "\"},\"minutes\":[{\"minute\":" + minute
                + ",\"task\":\"" + task + "\",\"counts\":" + counts + "}]}";
        assertThat(admin.post("/api/v1/reports", body).status()).isEqualTo(202);
    }

    /** A fresh tab state, then the login form with this token. */
    private static void logIn(ControlServer server, String token) {
        browser.get(server.localUrl() + "/ui/");
        ((JavascriptExecutor) browser).executeScript("sessionStorage.clear();");
        browser.navigate().refresh();
        until.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-token")));
        type("login-token", token);
        browser.findElement(By.id("login-token")).submit();
        until.until(d -> !text("who").isEmpty() || !text("login-error").isEmpty());
    }

    private static String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private static void type(String id, String value) {
        WebElement e = until.until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
        e.clear();
        if (!value.isEmpty()) {
            e.sendKeys(value);
        }
    }

    private static void click(String id) {
        until.until(ExpectedConditions.elementToBeClickable(By.id(id))).click();
    }

    private static void screenshot(String name) {
        try {
            Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
