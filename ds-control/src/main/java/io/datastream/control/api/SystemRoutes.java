package io.datastream.control.api;

import io.datastream.control.inventory.MemberIndex;
import io.datastream.control.metrics.ControlMetrics;
import io.datastream.control.zk.ZkGate;
import io.datastream.registry.member.AgentInfo;
import io.datastream.registry.member.RouterInfo;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Health (readiness: 503 while ZooKeeper is unreachable), Prometheus metrics, the OpenAPI description. */
final class SystemRoutes {
    static final String HEALTH = "/health";
    static final String METRICS = "/metrics";
    static final String OPENAPI = "/api/openapi.yaml";
    static final String OPENAPI_RESOURCE = "/io/datastream/control/api/openapi.yaml";

    private final ZkGate gate;
    private final MemberIndex<AgentInfo> agents;
    private final MemberIndex<RouterInfo> routers;
    private final ControlMetrics metrics;
    private final byte[] openApi;

    SystemRoutes(ZkGate gate, MemberIndex<AgentInfo> agents, MemberIndex<RouterInfo> routers, ControlMetrics metrics) {
        this.gate = gate;
        this.agents = agents;
        this.routers = routers;
        this.metrics = metrics;
        this.openApi = openApiYaml();
    }

    void register(Javalin app) {
        app.get(HEALTH, this::health);
        app.get(METRICS, this::metrics);
        app.get(OPENAPI, this::openApi);
    }

    /** The hand-written OpenAPI description shipped in the jar. */
    static byte[] openApiYaml() {
        try (InputStream in = SystemRoutes.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(OPENAPI_RESOURCE + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void health(Context ctx) {
        boolean up = gate.connected();
        Map<String, Object> zk = new LinkedHashMap<>();
        zk.put("connected", up);
        zk.put("state", gate.state());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("zookeeper", zk);
        body.put("agents", agents.size());
        body.put("routers", routers.size());
        Http.json(ctx, up ? 200 : 503, body);
    }

    private void metrics(Context ctx) {
        ctx.contentType(metrics.contentType()).result(metrics.scrape());
    }

    private void openApi(Context ctx) {
        ctx.contentType("application/yaml").result(openApi);
    }
}
