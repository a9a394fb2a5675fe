package io.datastream.control.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datastream.control.inventory.AgentQuery;
import io.datastream.control.inventory.DownMembers;
import io.datastream.control.inventory.HostGlob;
import io.datastream.control.inventory.MemberIndex;
import io.datastream.control.inventory.Page;
import io.datastream.control.inventory.RouterQuery;
import io.datastream.control.zk.ZkGate;
import io.datastream.registry.RegistryJson;
import io.datastream.registry.member.AgentInfo;
import io.datastream.registry.member.RouterInfo;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Agent and router routes, answered from the in-memory directories the ZooKeeper watches keep
 * (never a ZooKeeper read per request), filtered and paged by id with an {@code after} cursor.
 * While ZooKeeper is unreachable they answer 503 rather than a list that may be stale.
 */
final class MemberRoutes {
    static final String AGENTS = "/api/v1/agents";
    static final String AGENT = "/api/v1/agents/{id}";
    static final String AGENT_FILES = "/api/v1/agents/{id}/files";
    static final String ROUTERS = "/api/v1/routers";
    static final String ROUTER = "/api/v1/routers/{id}";
    static final String ROUTER_KAFKA_LATENCY = "/api/v1/routers/{id}/kafka-latency";
    static final String ROUTER_CONNECTIONS = "/api/v1/routers/{id}/connections";

    private final ZkGate gate;
    private final MemberIndex<AgentInfo> agents;
    private final MemberIndex<RouterInfo> routers;
    private final AgentFiles files = new AgentFiles();
    private final RouterLatency latency = new RouterLatency();
    private final RouterConnections connections = new RouterConnections();

    MemberRoutes(ZkGate gate, MemberIndex<AgentInfo> agents, MemberIndex<RouterInfo> routers) {
        this.gate = gate;
        this.agents = agents;
        this.routers = routers;
    }

    void register(Javalin app) {
        app.get(AGENTS, this::agents);
        app.get(AGENT, this::agent);
        app.get(AGENT_FILES, this::agentFiles);
        app.get(ROUTERS, this::routers);
        app.get(ROUTER, this::router);
        app.get(ROUTER_KAFKA_LATENCY, this::routerLatency);
        app.get(ROUTER_CONNECTIONS, this::routerConnections);
    }

    private void agents(Context ctx) throws Exception {
        AgentQuery query = agentQuery(ctx);
        int limit = Http.limit(ctx);
        String after = Http.after(ctx);
        gate.checkConnected();
        if (AgentQuery.DOWN.equals(query.state())) {
            AgentQuery any = query.withState(null);
            Page<DownMembers.Down<AgentInfo>> page = Page.of(agents.down(), DownMembers.Down::id, d -> any.test(d.last()), after, limit);
            Http.json(ctx, body(page, d -> down(d.last(), d.sinceMillis()), agents.downForgotten()));
            return;
        }
        Page<AgentInfo> page = Page.of(agents.sorted(), AgentInfo::id, query, after, limit);
        Http.json(ctx, body(page, a -> up(a), -1));
    }

    /** A list answer: {"items", "total", "next"?, "forgotten"? (down lists only)}. */
    private static <T> Map<String, Object> body(Page<T> page, Function<T, ObjectNode> view, long forgotten) {
        List<ObjectNode> items = new ArrayList<>(page.items().size());
        for (T t : page.items()) {
            items.add(view.apply(t));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items);
        body.put("total", page.total());
        if (page.next() != null) {
            body.put("next", page.next());
        }
        if (forgotten >= 0) {
            body.put("forgotten", forgotten);
        }
        return body;
    }

    /** A live agent as stored, with {"state": "up"}. */
    private static ObjectNode up(AgentInfo a) {
        ObjectNode n = RegistryJson.mapper().valueToTree(a);
        n.put("state", AgentQuery.UP);
        return n;
    }

    /** A member as it last published, with {"state": "down", "downSinceMillis"}. */
    private static ObjectNode down(Object last, long sinceMillis) {
        ObjectNode n = RegistryJson.mapper().valueToTree(last);
        if (last instanceof RouterInfo r) {
            n.put("load", r.load());
        }
        n.put("state", AgentQuery.DOWN);
        n.put("downSinceMillis", sinceMillis);
        return n;
    }

    private void agent(Context ctx) throws Exception {
        gate.checkConnected();
        String id = ctx.pathParam("id");
        AgentInfo a = agents.get(id);
        if (a == null) {
            throw new ApiException(404, "agent '" + id + "' is not registered (not running, or not connected to ZooKeeper)");
        }
        Http.json(ctx, up(a));
    }

    /** The agent's files, asked from the agent itself: {"agent": ID, "files": [...]}. */
    private void agentFiles(Context ctx) throws Exception {
        gate.checkConnected();
        String id = ctx.pathParam("id");
        AgentInfo a = agents.get(id);
        if (a == null) {
            throw new ApiException(404, "agent '" + id + "' is not registered (not running, or not connected to ZooKeeper)");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("agent", id);
        body.put("files", files.fetch(a));
        Http.json(ctx, body);
    }

    private void routers(Context ctx) throws Exception {
        RouterQuery query = routerQuery(ctx);
        int limit = Http.limit(ctx);
        String after = Http.after(ctx);
        gate.checkConnected();
        if (RouterQuery.DOWN.equals(query.state())) {
            RouterQuery any = new RouterQuery(query.host(), null);
            Page<DownMembers.Down<RouterInfo>> page = Page.of(routers.down(), DownMembers.Down::id, d -> any.test(d.last()), after, limit);
            Http.json(ctx, body(page, d -> down(d.last(), d.sinceMillis()), routers.downForgotten()));
            return;
        }
        Page<RouterInfo> page = Page.of(routers.sorted(), RouterInfo::id, query, after, limit);
        Http.json(ctx, body(page, MemberRoutes::view, -1));
    }

    private void router(Context ctx) throws Exception {
        Http.json(ctx, view(liveRouter(ctx)));
    }

    /** The router's Kafka acknowledgement latency histogram since it started, read from its /metrics. */
    private void routerLatency(Context ctx) throws Exception {
        Http.json(ctx, latency.fetch(liveRouter(ctx)));
    }

    /** The router's agent connections now, read from its /connections. */
    private void routerConnections(Context ctx) throws Exception {
        Http.json(ctx, connections.fetch(liveRouter(ctx)));
    }

    private RouterInfo liveRouter(Context ctx) throws Exception {
        gate.checkConnected();
        String id = ctx.pathParam("id");
        RouterInfo r = routers.get(id);
        if (r == null) {
            throw new ApiException(404, "router '" + id + "' is not registered (not running, or not connected to ZooKeeper)");
        }
        return r;
    }

    /** A router as stored, plus its derived load and state. */
    private static ObjectNode view(RouterInfo r) {
        ObjectNode n = RegistryJson.mapper().valueToTree(r);
        n.put("load", r.load());
        n.put("state", RouterQuery.stateOf(r));
        return n;
    }

    private static AgentQuery agentQuery(Context ctx) {
        HostGlob host = glob(ctx);
        List<AgentQuery.Label> labels = new ArrayList<>();
        for (String l : ctx.queryParams("label")) {
            try {
                labels.add(AgentQuery.Label.parse(l));
            } catch (IllegalArgumentException e) {
                throw ApiException.badField("label", e.getMessage());
            }
        }
        return new AgentQuery(host, labels, Http.param(ctx, "task"), Http.param(ctx, "state"));
    }

    private static RouterQuery routerQuery(Context ctx) {
        HostGlob host = glob(ctx);
        try {
            return new RouterQuery(host, Http.param(ctx, "state"));
        } catch (IllegalArgumentException e) {
            throw ApiException.badField("state", e.getMessage());
        }
    }

    private static HostGlob glob(Context ctx) {
        String host = Http.param(ctx, "host");
        if (host == null) {
            return null;
        }
        try {
            return HostGlob.of(host);
        } catch (IllegalArgumentException e) {
            throw ApiException.badField("host", "'" + host + "' is not a valid glob: " + e.getMessage());
        }
    }
}
