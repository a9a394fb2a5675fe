package io.datastream.agent.status;

import io.datastream.agent.ship.ShipperSnapshot;
import io.datastream.agent.tail.TailerSnapshot;
import io.datastream.agent.tail.TaskReport;
import io.datastream.registry.member.TaskStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/** Combines the tailer's and the shipper's snapshots into per-task status. */
public final class StatusBuilder {
    private StatusBuilder() {
    }

    public static AgentStatus build(TailerSnapshot tailer, ShipperSnapshot shipper, long checkpointWrites, long nowMillis) {
        if (tailer == null) {
            return AgentStatus.EMPTY;
        }
        Map<String, TaskStatus> tasks = new LinkedHashMap<>();
        Map<String, Map<String, Integer>> files = new LinkedHashMap<>();
        Map<String, Long> sent = new LinkedHashMap<>();
        Map<String, Long> resent = new LinkedHashMap<>();
        Map<String, Long> rejected = new LinkedHashMap<>();
        Map<String, Long> bytesAcked = new LinkedHashMap<>();
        for (Map.Entry<String, TaskReport> e : tailer.tasks().entrySet()) {
            TaskReport t = e.getValue();
            io.datastream.agent.ledger.TaskShipping s = shipper == null ? null : shipper.tasks().get(e.getKey());
            long unacked = s == null ? 0 : s.unackedBytes();
            long oldest = oldest(t.oldestUnreadMillis(), s == null ? 0 : s.oldestUnackedMillis());
            long lag = oldest == 0 ? 0 : Math.max(0, nowMillis - oldest);
            String lastError = t.lastError();
            if (s != null && s.lastError() != null && ("parked".equals(t.state()) || lastError == null)) {
                lastError = s.lastError();
            }
            tasks.put(e.getKey(), new TaskStatus(t.state(), t.files(), t.unreadBytes() + unacked, lag, t.linesRead(), t.bytesRead(),
                    s == null ? 0 : s.linesAcked(), t.droppedLines(), t.droppedBytes(), t.errors() + (s == null ? 0 : s.rejected()), lastError,
                    t.droppedBytesByReason(), t.droppedLinesByReason()));
            Map<String, Integer> f = new LinkedHashMap<>();
            f.put("fast", t.fast());
            f.put("slow", t.slow());
            f.put("inactive", t.inactive());
            f.put("rotated", t.rotated());
            f.put("waiting", t.waiting());
            f.put("skipped", t.skipped());
            files.put(e.getKey(), f);
            sent.put(e.getKey(), s == null ? 0 : s.batchesSent());
            resent.put(e.getKey(), s == null ? 0 : s.resentBatches());
            rejected.put(e.getKey(), s == null ? 0 : s.rejected());
            bytesAcked.put(e.getKey(), s == null ? 0 : s.bytesAcked());
        }
        return new AgentStatus(tasks, files, shipper == null ? null : shipper.router(), shipper == null ? 0 : shipper.inFlight(),
                shipper == null ? 0 : shipper.queued(), shipper == null ? 0 : shipper.reconnects(), tailer.openFiles(), checkpointWrites,
                sent, resent, rejected, bytesAcked);
    }

    private static long oldest(long a, long b) {
        if (a == 0) {
            return b;
        }
        if (b == 0) {
            return a;
        }
        return Math.min(a, b);
    }
}
