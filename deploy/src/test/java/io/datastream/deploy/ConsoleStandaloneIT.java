package io.datastream.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import io.datastream.deploy.standalone.Standalone;
import io.datastream.deploy.standalone.StandaloneConfig;
import io.datastream.testkit.net.FreePorts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
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
 * The web console against a real {@code ds standalone} pipeline with its demo stream (ZooKeeper,
 * Kafka, control, router, agent and the Flink sink in this JVM), in a real headless Chromium
 * (Debian's chromium and chromium-driver): the demo flowing on the overview without a login (loopback),
 * a task created in the form after a refused glob, the agent picking it up and its lines committed
 * in the task's chart and audit, the agent's files, the router's Kafka latency, and an alert rule
 * created in the form firing (its webhook called) and shown on the overview. One standalone for the
 * class; every wait is on a condition. Screenshots of each page go to target/console-screenshots.
 */
class ConsoleStandaloneIT {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    static final Duration PATIENCE = Duration.ofSeconds(90);

    @TempDir
    static Path dir;
    static StandaloneConfig cfg;
    static Standalone standalone;
    static String ui;
    static HttpServer hooks;
    static final List<String> notifications = new CopyOnWriteArrayList<>();
    static WebDriver browser;
    static WebDriverWait until;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "the console tests need Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver; .ci/run does)");
        cfg = StandaloneConfig.builder(dir).ports(FreePorts::next).checkpointInterval(Duration.ofSeconds(1))
                .progressInterval(Duration.ZERO).reportInterval(Duration.ofMillis(500)).demo(true, 200).build();
        standalone = Standalone.start(cfg, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        ui = "http://localhost:" + cfg.controlPort() + "/ui/";

        hooks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        hooks.createContext("/hook", ex -> {
            notifications.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        hooks.start();

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1100",
                "--user-data-dir=" + Files.createTempDirectory("chromium").toAbsolutePath());
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build(), options);
        until = new WebDriverWait(browser, PATIENCE);
        // the page re-renders on every refresh: an element found just before may be gone when it is read
        until.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            if (hooks != null) {
                hooks.stop(0);
            }
            if (standalone != null) {
                standalone.close();
            }
        }
    }

    @AfterEach
    void noScriptOrPolicyErrors(TestInfo test) {
        List<String> bad = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                // the refused glob is a 400 on purpose, which the browser logs as a failed request
                .filter(m -> !m.contains("the server responded with a status of 400"))
                .toList();
        assertThat(bad).as("severe browser console messages in " + test.getDisplayName()).isEmpty();
    }

    @Test
    void theDemoFlowsOnTheOverviewWithoutALoginOnLoopback() {
        browser.get(ui);
        until.until(ExpectedConditions.textToBe(By.id("who"), "loopback (admin)"));
        assertThat(browser.findElement(By.id("login")).isDisplayed()).isFalse();
        // the committed count rises while the demo writes: a first count, then a larger one
        until.until(d -> number("lines-committed") > 0);
        long first = number("lines-committed");
        until.until(d -> number("lines-committed") > first);
        until.until(d -> number("lines-read") > 0);
        assertThat(text("agents-live")).isEqualTo("1");
        assertThat(text("routers-live")).isEqualTo("1");
        assertThat(text("member-states")).contains("1 running").contains("1 active");
        // the chart holds the three tiers' counts, committed among them
        until.until(d -> Long.parseLong(browser.findElement(By.id("overview-chart")).getAttribute("data-lines").split(",")[2]) > 0);
        assertThat(Integer.parseInt(browser.findElement(By.id("overview-chart")).getAttribute("data-points"))).isPositive();
        until.until(d -> Integer.parseInt(browser.findElement(By.id("latency-chart")).getAttribute("data-points")) > 0);
        assertThat(text("latency")).matches("\\d+(\\.\\d)? (ms|s|min) / \\d+(\\.\\d)? (ms|s|min)");
        screenshot("overview");
    }

    @Test
    void aTaskCreatedInTheFormIsPickedUpByTheAgentAndItsCommittedCountRises() throws IOException {
        Path shop = Files.createDirectories(dir.resolve("shop"));
        browser.get(ui + "#/tasks");
        click("new-task");
        type("f-id", "shop");
        type("f-paths", shop + "/[");
        type("f-topic", "ds-shop");
        click("save-task");
        // the API's validation, next to the field
        until.until(d -> !text("error-f-paths").isEmpty());
        assertThat(text("error-f-paths")).contains("paths[0]").contains("not a valid glob");
        assertThat(browser.findElement(By.id("f-paths")).getAttribute("aria-invalid")).isEqualTo("true");
        screenshot("task-form-error");

        type("f-paths", shop + "/*.log");
        click("save-task");
        until.until(ExpectedConditions.textToBe(By.id("task-version"), "0"));
        // the agent picks the task up from ZooKeeper and reports it running
        until.until(d -> text("task-agents").contains("standalone-agent") && text("task-agents").contains("running"));
        assertThat(text("task-agents")).contains("1 agents run it");

        append(shop.resolve("app.log"), 0, 300);
        until.until(ExpectedConditions.attributeToBe(By.id("task-chart"), "data-lines", "300,300,300"));
        append(shop.resolve("app.log"), 300, 500);
        until.until(ExpectedConditions.attributeToBe(By.id("task-chart"), "data-lines", "500,500,500"));
        // the audit's total row: 500 read, acknowledged, in Kafka and committed
        until.until(d -> text("task-audit").lines().anyMatch(l -> l.startsWith("TOTAL") && l.matches("TOTAL 500 0 500 500 500 0 .*")));
        until.until(d -> text("task-agents").contains("500"));
        scrollTo("task-agents");
        screenshot("task");
    }

    @Test
    void anAgentsFilesAndARoutersConnectionsAndKafkaLatencyAreShown() {
        browser.get(ui + "#/agents");
        until.until(ExpectedConditions.elementToBeClickable(By.linkText("standalone-agent"))).click();
        until.until(d -> d.getCurrentUrl().endsWith("#/agents/standalone-agent"));
        String demoFile = cfg.logsDir().resolve("demo").toString();
        // the page refreshes every 10 s: the agent may not follow the demo's file yet when this test runs first
        until.until(ExpectedConditions.textToBePresentInElementLocated(By.id("file-table"), demoFile));
        assertThat(text("file-table")).contains("default").contains(demoFile);
        until.until(ExpectedConditions.textToBePresentInElementLocated(By.id("agent-task-table"), "running"));
        assertThat(text("agent-task-table")).contains("default");
        screenshot("agent");

        browser.get(ui + "#/routers");
        until.until(ExpectedConditions.elementToBeClickable(By.linkText("standalone-router"))).click();
        until.until(d -> d.getCurrentUrl().endsWith("#/routers/standalone-router"));
        until.until(ExpectedConditions.presenceOfElementLocated(By.id("latency-facts")));
        // the demo's batches were acknowledged by Kafka: a count, a mean and bounds
        until.until(d -> !fact("latency-facts", "acknowledgements since start").equals("0"));
        assertThat(fact("latency-facts", "mean since start")).matches("\\d+(\\.\\d)? (ms|s|min)");
        assertThat(fact("latency-facts", "99th percentile since start, at most")).matches("\\d+(\\.\\d)? (ms|s|min)");
        assertThat(fact("router-facts", "state")).isEqualTo("active");
        // what the router last published in ZooKeeper: it may not count the agent's connection yet
        until.until(d -> fact("router-facts", "connections").equals("1"));
        // its one agent connection, read from the router's /connections
        until.until(ExpectedConditions.textToBe(By.id("connection-count"), "1 connections"));
        assertThat(text("connection-table")).contains("standalone-agent").contains("127.0.0.1:").contains("open");
        // the next refresh has the acknowledgements since the previous one
        until.until(d -> !fact("latency-facts", "mean since the previous refresh").equals("-"));
        screenshot("router");
    }

    @Test
    void anAlertRuleCreatedInTheFormFiresCallsItsWebhookAndShowsOnTheOverview() throws IOException {
        // a task read at 1,000 bytes per second from a 1 MB file: after its first read (one read buffer, 256 KB,
        // which the rate limit lets overdraw) it waits minutes, with the rest as its backlog
        Path slow = Files.createDirectories(dir.resolve("slow"));
        append(slow.resolve("slow.log"), 0, 20_000);
        browser.get(ui + "#/tasks/new");
        type("f-id", "slow");
        type("f-paths", slow + "/*.log");
        type("f-topic", "ds-slow");
        type("f-rateLimitBytesPerSec", "1000");
        click("save-task");
        until.until(ExpectedConditions.textToBe(By.id("task-version"), "0"));

        browser.get(ui + "#/alerts");
        click("new-rule");
        type("a-id", "slow-backlog");
        browser.findElement(By.id("a-kind")).sendKeys("backlogBytes");
        type("a-threshold", "100000");
        type("a-scope-task", "slow");
        type("a-webhooks", "http://127.0.0.1:" + hooks.getAddress().getPort() + "/hook");
        click("save-rule");
        until.until(ExpectedConditions.presenceOfElementLocated(By.id("rule-history")));

        browser.get(ui + "#/overview");
        until.until(d -> text("firing-alerts").contains("slow-backlog"));
        assertThat(text("alerts-firing")).isEqualTo("1");
        assertThat(notifications).anyMatch(n -> n.contains("\"rule\":\"slow-backlog\"") && n.contains("\"state\":\"firing\""));
        screenshot("overview-alert");
        browser.get(ui + "#/alerts/slow-backlog");
        until.until(ExpectedConditions.textToBePresentInElementLocated(By.id("rule-history"), "firing"));
        screenshot("alert-rule");
        // the history of every rule: the firing transition, and only it when filtered to firing
        browser.get(ui + "#/alerts?state=firing");
        until.until(ExpectedConditions.textToBePresentInElementLocated(By.id("alert-history"), "slow-backlog"));
        assertThat(browser.findElements(By.cssSelector("#alert-history tbody tr.firing"))).isNotEmpty();
        assertThat(browser.findElements(By.cssSelector("#alert-history tbody tr:not(.firing)"))).isEmpty();
        screenshot("alerts");
    }

    private static long number(String id) {
        String t = text(id).replace(",", "");
        return t.matches("\\d+") ? Long.parseLong(t) : -1;
    }

    /** The value next to a label in a two-column facts table (looked up again if a refresh re-rendered it meanwhile). */
    private static String fact(String table, String label) {
        for (int attempt = 1; ; attempt++) {
            try {
                return browser.findElement(By.id(table)).findElement(By.cssSelector("td[data-field='" + label + "']")).getText();
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
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

    /** Scrolls so that the element's section heading is at the top of the window. */
    private static void scrollTo(String id) {
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                "const e = document.getElementById(arguments[0]); (e.previousElementSibling || e).scrollIntoView();", id);
    }

    private static void screenshot(String name) {
        try {
            Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void append(Path file, int from, int to) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            sb.append("shop ").append(i).append(" GET /api/v1/items/").append(i * 7919 % 10007).append(" HTTP/1.1 200 ").append(i % 977)
                    .append('\n');
        }
        Files.writeString(file, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
