package io.datastream.deploy.sinkmetrics;

import io.datastream.registry.ZkClients;
import io.datastream.registry.ZkLayout;
import io.datastream.registry.acl.ZkCredentials;
import io.datastream.registry.member.EphemeralRegistration;
import io.datastream.registry.member.SinkInfo;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the sink's per-task counts ({@link SinkCounters}) in ZooKeeper at
 * {@code {root}/sinks/{id}} every interval, ephemeral like an agent's registration, so that
 * ds-control shows them in a task's status ({@code ds ctl task get}) next to the agents'.
 */
public final class SinkRegistration implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SinkRegistration.class);
    static final String VERSION = "0.1.0";

    private final String id;
    private final SinkCounters counters;
    private final CuratorFramework zk;
    private final EphemeralRegistration registration;
    private final ScheduledExecutorService timer;

    private SinkRegistration(String id, SinkCounters counters, CuratorFramework zk, EphemeralRegistration registration,
                             ScheduledExecutorService timer) {
        this.id = id;
        this.counters = counters;
        this.zk = zk;
        this.registration = registration;
        this.timer = timer;
    }

    /** Connects to ZooKeeper and publishes now and every {@code interval}. */
    public static SinkRegistration start(String id, String zkConnect, String root, SinkCounters counters, Duration interval) {
        return start(id, zkConnect, root, null, counters, interval);
    }

    /** {@link #start(String, String, String, SinkCounters, Duration)} authenticated with {@code credentials} (null = none). */
    public static SinkRegistration start(String id, String zkConnect, String root, ZkCredentials credentials, SinkCounters counters,
                                         Duration interval) {
        ZkLayout layout = new ZkLayout(root);
        CuratorFramework zk = ZkClients.start(zkConnect, Duration.ofSeconds(15), credentials, layout);
        EphemeralRegistration reg = new EphemeralRegistration(zk, layout.sink(id), info(id, counters)).start();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ds-sink-registration");
            t.setDaemon(true);
            return t;
        });
        SinkRegistration s = new SinkRegistration(id, counters, zk, reg, timer);
        timer.scheduleAtFixedRate(s::publish, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return s;
    }

    private void publish() {
        try {
            registration.update(info(id, counters));
        } catch (Exception e) {
            LOG.debug("sink registration update failed: {}", e.toString());
        }
    }

    /** The counts of every task the sink has seen. */
    static SinkInfo info(String id, SinkCounters c) {
        Map<String, SinkInfo.Counts> tasks = new HashMap<>();
        for (String task : c.labelValues("ds_sink_task_lines_written_total", "task")) {
            tasks.put(task, counts(c, task));
        }
        for (String task : c.labelValues("ds_sink_task_lines_duplicate_total", "task")) {
            tasks.putIfAbsent(task, counts(c, task));
        }
        return new SinkInfo(id, hostName(), VERSION, tasks, System.currentTimeMillis());
    }

    private static SinkInfo.Counts counts(SinkCounters c, String task) {
        Map<String, String> t = Map.of("task", task);
        return new SinkInfo.Counts(c.sum("ds_sink_task_lines_written_total", t), c.sum("ds_sink_task_lines_duplicate_total", t),
                c.sum("ds_sink_task_lines_overlapping_total", t), c.sum("ds_sink_task_envelopes_corrupt_total", t),
                c.sum("ds_sink_task_lines_time_fallback_total", t));
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            registration.close();
        } catch (Exception e) {
            LOG.debug("closing the sink registration: {}", e.toString());
        }
        zk.close();
    }
}
