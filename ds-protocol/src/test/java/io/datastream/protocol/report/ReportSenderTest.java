package io.datastream.protocol.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sender against a local HTTP receiver that answers what the test says (control itself is in ds-control's ITs). */
class ReportSenderTest {
    private HttpServer server;
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<String> auth = new CopyOnWriteArrayList<>();
    private final AtomicInteger status = new AtomicInteger(202);

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/reports", ex -> {
            bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            auth.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            byte[] b = "{}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status.get(), b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private ReportSender sender(MinuteLedger ledger) {
        ReportSettings s = ReportSettings.to("http://127.0.0.1:" + server.getAddress().getPort() + "/").withToken("secret");
        return new ReportSender(s, ReportSource.ROUTER, "router-1", ledger, () -> { }, () -> 100 * 60_000L + 5);
    }

    @Test
    void minutesAreResentUntilControlAcknowledgesThemAndNotAfter() {
        MinuteLedger ledger = new MinuteLedger(10, 100);
        ReportSender sender = sender(ledger);
        ledger.add("web", 100, ReportCount.LINES_TO_KAFKA, 10);
        status.set(503);
        sender.pushNow();
        assertThat(sender.stats().pushesFailed()).isEqualTo(1);
        assertThat(ledger.pending()).hasSize(1);
        status.set(202);
        sender.pushNow();
        sender.pushNow(); // nothing changed: nothing sent
        assertThat(bodies).hasSize(2);
        assertThat(bodies.get(1)).isEqualTo("{\"source\":{\"kind\":\"router\",\"id\":\"router-1\"},\"minutes\":["
                + "{\"minute\":100,\"task\":\"web\",\"counts\":{\"linesToKafka\":10}}]}");
        assertThat(auth).containsOnly("Bearer secret");
        assertThat(sender.stats().minutesSent()).isEqualTo(1);
        ledger.add("web", 100, ReportCount.LINES_TO_KAFKA, 1);
        sender.pushNow();
        assertThat(bodies).hasSize(3);
        assertThat(bodies.get(2)).contains("\"linesToKafka\":11");
    }

    @Test
    void aRefusedReportIsDroppedAndCountedNotRetriedForever() {
        MinuteLedger ledger = new MinuteLedger(10, 100);
        ReportSender sender = sender(ledger);
        ledger.add("web", 100, ReportCount.LINES_TO_KAFKA, 10);
        status.set(400);
        sender.pushNow();
        sender.pushNow();
        assertThat(bodies).hasSize(1);
        assertThat(sender.stats().minutesRejected()).isEqualTo(1);
        assertThat(sender.stats().lastError()).contains("HTTP 400");
    }

    @Test
    void closePushesWhatIsPending() {
        MinuteLedger ledger = new MinuteLedger(10, 100);
        ReportSender sender = sender(ledger).start();
        ledger.add("web", 100, ReportCount.LINES_COMMITTED, 3);
        sender.close();
        assertThat(bodies).anySatisfy(b -> assertThat(b).contains("\"linesCommitted\":3"));
        assertThat(ledger.pending()).isEmpty();
    }

    @Test
    void anUnreachableControlIsAFailureNotAnException() throws Exception {
        MinuteLedger ledger = new MinuteLedger(10, 100);
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ReportSender sender = new ReportSender(ReportSettings.to("http://127.0.0.1:" + port), ReportSource.AGENT, "a", ledger,
                () -> { }, () -> 100 * 60_000L);
        ledger.add("web", 100, ReportCount.LINES_READ, 1);
        sender.pushNow();
        assertThat(sender.stats().pushesFailed()).isEqualTo(1);
        assertThat(sender.stats().lastError()).contains("cannot reach");
        assertThat(ledger.pending()).hasSize(1);
    }
}
