package io.datastream.control;

import io.datastream.registry.ZkLayout;
import io.datastream.registry.member.AgentInfo;
import io.datastream.registry.member.EphemeralRegistration;
import io.datastream.registry.member.RouterInfo;
import io.datastream.registry.member.TaskStatus;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;

/** Registrations made the way agents and routers make them, and task JSON for tests. */
public final class Fixtures {
    private Fixtures() {
    }

    public static String task(String id, String topic) {
        return "{\"id\":\"" + id + "\",\"paths\":[\"/var/log/" + id + "/*.log\"]" + (topic == null ? "" : ",\"topic\":\"" + topic + "\"") + "}";
    }

    public static AgentInfo agent(String id, String host, Map<String, String> labels, Map<String, TaskStatus> status) {
        return new AgentInfo(id, host, "0.1.0", labels, List.copyOf(status.keySet()), status, "router-1:7100", 1_000L,
                System.currentTimeMillis());
    }

    public static TaskStatus running(int files, long backlog, long lagMillis, long linesRead) {
        return new TaskStatus("running", files, backlog, lagMillis, linesRead, linesRead * 100, linesRead, 0, 0, 0, null);
    }

    /** {@link #running} with drops: 2 over-long lines (512 bytes cut) and one skipped compressed file (10 KiB). */
    public static TaskStatus runningWithDrops(int files, long backlog, long lagMillis, long linesRead) {
        return new TaskStatus("running", files, backlog, lagMillis, linesRead, linesRead * 100, linesRead, 2, 512 + 10_240, 0, null,
                Map.of("overLongLine", 512L, "compressed", 10_240L), Map.of("overLongLine", 2L));
    }

    public static RouterInfo router(String id, String host, boolean draining, long used) {
        return new RouterInfo(id, host, 7100, 7101, "0.1.0", 1, 1, 1_000_000, used, 4, draining, System.currentTimeMillis());
    }

    /** Registers like an agent does: an ephemeral node at {root}/agents/{id}. */
    public static EphemeralRegistration register(CuratorFramework zk, ZkLayout layout, AgentInfo a) throws InterruptedException {
        return started(new EphemeralRegistration(zk, layout.agent(a.id()), a));
    }

    public static EphemeralRegistration register(CuratorFramework zk, ZkLayout layout, RouterInfo r) throws InterruptedException {
        return started(new EphemeralRegistration(zk, layout.router(r.id()), r));
    }

    private static EphemeralRegistration started(EphemeralRegistration reg) throws InterruptedException {
        reg.start();
        if (!reg.awaitCreated(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("registration not created");
        }
        return reg;
    }
}
