package io.datastream.control.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datastream.registry.member.AgentInfo;
import io.datastream.registry.member.RouterInfo;
import io.datastream.registry.member.TaskStatus;
import io.datastream.registry.task.HostSelector;
import io.datastream.registry.task.TaskSpec;
import io.datastream.registry.task.VersionedTask;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InventoryTest {

    static AgentInfo agent(String id, String host, Map<String, String> labels, Map<String, TaskStatus> status) {
        return new AgentInfo(id, host, "0.1.0", labels, new ArrayList<>(status.keySet()), status, "r1:7100", 1L, 2L);
    }

    static TaskStatus status(String state, int files, long backlog, long lag, long errors) {
        return new TaskStatus(state, files, backlog, lag, 100, 1000, 90, 1, 10, errors, errors > 0 ? "boom" : null);
    }

    private final List<AgentInfo> agents = List.of(
            agent("a1", "web-1", Map.of("env", "prod"), Map.of("nginx", status("running", 2, 100, 50, 0))),
            agent("a2", "web-2", Map.of("env", "staging"), Map.of("nginx", status("parked", 1, 900, 4000, 3))),
            agent("a3", "db-1", Map.of("env", "prod", "gpu", "yes"), Map.of()),
            agent("a4", "web-3", Map.of("env", "prod"), Map.of("app", status("running", 1, 0, 0, 0))));

    @Test
    void pagesFollowTheCursorAndCountEveryMatch() {
        Page<AgentInfo> first = Page.of(agents, AgentInfo::id, a -> true, null, 3);
        assertThat(first.items()).extracting(AgentInfo::id).containsExactly("a1", "a2", "a3");
        assertThat(first.total()).isEqualTo(4);
        assertThat(first.next()).isEqualTo("a3");
        Page<AgentInfo> second = Page.of(agents, AgentInfo::id, a -> true, first.next(), 3);
        assertThat(second.items()).extracting(AgentInfo::id).containsExactly("a4");
        assertThat(second.total()).isEqualTo(4);
        assertThat(second.next()).isNull();
        assertThat(Page.of(agents, AgentInfo::id, a -> true, "zzz", 3).items()).isEmpty();
    }

    @Test
    void agentFiltersCombine() {
        assertThat(filter(new AgentQuery(HostGlob.of("web-*"), List.of(), null, null))).containsExactly("a1", "a2", "a4");
        assertThat(filter(new AgentQuery(HostGlob.of("web-[12]"), List.of(AgentQuery.Label.parse("env=prod")), null, null)))
                .containsExactly("a1");
        assertThat(filter(new AgentQuery(null, List.of(AgentQuery.Label.parse("gpu")), null, null))).containsExactly("a3");
        assertThat(filter(new AgentQuery(null, List.of(), "nginx", null))).containsExactly("a1", "a2");
        assertThat(filter(new AgentQuery(null, List.of(), "nginx", "parked"))).containsExactly("a2");
        assertThat(filter(new AgentQuery(null, List.of(), null, "running"))).containsExactly("a1", "a4");
        assertThat(filter(new AgentQuery(null, List.of(), null, AgentQuery.IDLE))).containsExactly("a3");
        assertThatThrownBy(() -> AgentQuery.Label.parse("=x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HostGlob.of("web-[")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hostGlobsNeverThrowOnHostileHostNames() {
        assertThat(HostGlob.of("*").matches("bad\0host")).isFalse();
        assertThat(HostGlob.of("*").matches(null)).isFalse();
        AgentInfo broken = new AgentInfo("x", null, null, null, null, null, null, 0, 0);
        assertThat(new AgentQuery(HostGlob.of("*"), List.of(AgentQuery.Label.parse("env")), "t", "running").test(broken)).isFalse();
    }

    @Test
    void routerStateFilter() {
        RouterInfo active = new RouterInfo("r1", "10.0.0.1", 7100, 7101, "0.1.0", 1, 1, 1000, 250, 3, false, 1);
        RouterInfo draining = new RouterInfo("r2", "10.0.0.2", 7100, 7101, "0.1.0", 1, 1, 1000, 0, 0, true, 1);
        assertThat(new RouterQuery(null, "draining").test(draining)).isTrue();
        assertThat(new RouterQuery(null, "draining").test(active)).isFalse();
        assertThat(new RouterQuery(HostGlob.of("10.0.0.*"), "active").test(active)).isTrue();
        assertThatThrownBy(() -> new RouterQuery(null, "sleeping")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void taskStatusIsGatheredPerAgentAndSummed() {
        TaskSpec spec = new TaskSpec("nginx", List.of("/var/log/nginx/*.log"), null, null, null, null, null, null, null, null, null,
                new HostSelector(List.of("web-*"), Map.of()), null, null);
        TaskStatusReport r = TaskStatusReport.gather(new VersionedTask(spec, 3, 0), agents, null, 100);
        assertThat(r.version()).isEqualTo(3);
        assertThat(r.agents()).extracting(TaskStatusReport.AgentEntry::agentId).containsExactly("a1", "a2");
        assertThat(r.summary().reporting()).isEqualTo(2);
        assertThat(r.summary().matching()).isEqualTo(3);
        assertThat(r.summary().waiting()).isEqualTo(1);
        assertThat(r.waiting()).containsExactly("a4");
        assertThat(r.summary().files()).isEqualTo(3);
        assertThat(r.summary().backlogBytes()).isEqualTo(1000);
        assertThat(r.summary().maxLagMillis()).isEqualTo(4000);
        assertThat(r.summary().errors()).isEqualTo(3);
        assertThat(r.summary().linesRead()).isEqualTo(200);
        assertThat(r.summary().droppedBytes()).isEqualTo(20);
        assertThat(r.summary().droppedBytesByReason()).isEmpty(); // statuses without reasons (older agents) still sum
        assertThat(r.summary().states()).containsEntry("running", 1).containsEntry("parked", 1);
        assertThat(r.sink()).as("no sink reports the task").isNull();

        List<io.datastream.registry.member.SinkInfo> sinks = List.of(
                new io.datastream.registry.member.SinkInfo("s1", "h1", "v", Map.of(
                        "nginx", new io.datastream.registry.member.SinkInfo.Counts(100, 5, 0, 1, 7),
                        "other", new io.datastream.registry.member.SinkInfo.Counts(9, 9, 9, 9, 9)), 0),
                new io.datastream.registry.member.SinkInfo("s2", "h2", "v", Map.of(
                        "nginx", new io.datastream.registry.member.SinkInfo.Counts(50, 0, 2, 0, 3)), 0),
                new io.datastream.registry.member.SinkInfo("s3", "h3", "v", Map.of(), 0));
        TaskStatusReport withSinks = TaskStatusReport.gather(new VersionedTask(spec, 3, 0), agents, sinks, null, 100);
        assertThat(withSinks.sink()).isEqualTo(new io.datastream.registry.member.SinkInfo.Counts(150, 5, 2, 1, 10));
        assertThat(withSinks.sinks()).containsExactly("s1", "s2");
    }

    private List<String> filter(AgentQuery q) {
        return Page.of(agents, AgentInfo::id, q, null, 100).items().stream().map(AgentInfo::id).toList();
    }
}
