package io.datastream.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.datastream.agent.batch.OutBatch;
import io.datastream.agent.status.AgentStatus;
import io.datastream.protocol.report.ReportSettings;
import io.datastream.registry.member.TaskStatus;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the agent reports for built, acknowledged and discarded batches and for its status, as control receives it. */
class AgentReportsTest {
    private static final long MINUTE = 29_433_600L;
    private HttpServer control;
    private final List<String> bodies = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        control = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        control.createContext("/api/v1/reports", ex -> {
            bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(202, -1);
            ex.close();
        });
        control.start();
    }

    @AfterEach
    void stop() {
        control.stop(0);
    }

    private static OutBatch batch(long createdMillis, long start, long end, int records) {
        return batch(createdMillis, start, end, records, false);
    }

    private static OutBatch batch(long createdMillis, long start, long end, int records, boolean reread) {
        return new OutBatch("web", 1, 7, 42, 256, start, end, records, createdMillis, Unpooled.buffer(8).writeLong(1), reread);
    }

    @Test
    void readAckedDiscardedDropsAndBacklogByReadMinute() {
        AtomicReference<AgentStatus> status = new AtomicReference<>(AgentStatus.EMPTY);
        long now = (MINUTE + 1) * 60_000 + 30_000;
        AgentReports r = new AgentReports(ReportSettings.to("http://127.0.0.1:" + control.getAddress().getPort()), "agent-1",
                status::get, () -> now);
        long readAt = MINUTE * 60_000 + 59_000;
        OutBatch a = batch(readAt, 0, 1000, 10);
        OutBatch b = batch(readAt, 1000, 1500, 5);
        r.read(a);
        r.read(b);
        r.acked(a);
        r.discarded(b); // read again later, into a batch of the next minute: a re-read, counted as read once
        OutBatch again = batch(now, 1000, 1500, 5, true);
        r.read(again);
        r.acked(again);
        status.set(new AgentStatus(Map.of("web", new TaskStatus("running", 1, 4096, 1200, 15, 1500, 15, 1, 300, 0, null,
                Map.of("overLongLine", 300L), Map.of("overLongLine", 1L))), Map.of(), null, 0, 0, 0, 0, 0, Map.of(), Map.of(),
                Map.of(), Map.of()));
        r.close(); // the last push
        assertThat(bodies).hasSize(1);
        assertThat(bodies.get(0)).isEqualTo("{\"source\":{\"kind\":\"agent\",\"id\":\"agent-1\"},\"minutes\":["
                + "{\"minute\":" + MINUTE + ",\"task\":\"web\",\"counts\":{\"linesRead\":15,\"bytesRead\":1500,\"linesAcked\":10,\"bytesAcked\":1000}},"
                + "{\"minute\":" + (MINUTE + 1) + ",\"task\":\"web\",\"counts\":{\"linesAcked\":5,"
                + "\"bytesAcked\":500,\"linesDropped\":1,\"bytesDropped\":300,\"backlogBytes\":4096,\"lagMs\":1200,"
                + "\"droppedByReason\":{\"overLongLine\":1}}}]}");
    }

    @Test
    void afterARestartTheCheckpointsCountsAreReportedAgainAndTheMinutesSinceItsLastWriteReplaced() {
        long now = (MINUTE + 3) * 60_000 + 10_000;
        AgentReports r = new AgentReports(ReportSettings.to("http://127.0.0.1:" + control.getAddress().getPort()), "agent-1",
                () -> AgentStatus.EMPTY, () -> now);
        // written in MINUTE + 1; the killed process may have reported more for MINUTE + 1 and later than it kept
        r.restore(List.of(new io.datastream.agent.checkpoint.MinuteCounts("web", MINUTE, 120, 12_000, 100, 10_000),
                io.datastream.agent.checkpoint.MinuteCounts.read("web", MINUTE + 1, 7, 700),
                io.datastream.agent.checkpoint.MinuteCounts.read("web", MINUTE - 90, 1, 1)), // out of the window: not sent
                (MINUTE + 1) * 60_000 + 5_000, java.util.Set.of("web"));
        r.close();
        assertThat(bodies).hasSize(1);
        assertThat(bodies.get(0)).isEqualTo("{\"source\":{\"kind\":\"agent\",\"id\":\"agent-1\"},\"minutes\":["
                + "{\"minute\":" + MINUTE + ",\"task\":\"web\",\"counts\":{\"linesRead\":120,\"bytesRead\":12000,\"linesAcked\":100,\"bytesAcked\":10000}},"
                + "{\"minute\":" + (MINUTE + 1) + ",\"task\":\"web\",\"counts\":{\"linesRead\":7,\"bytesRead\":700}},"
                + "{\"minute\":" + (MINUTE + 2) + ",\"task\":\"web\",\"counts\":{}},"
                + "{\"minute\":" + (MINUTE + 3) + ",\"task\":\"web\",\"counts\":{}}]}");
    }
}
