package io.datastream.control.api;

import io.datastream.control.ControlConfig;
import io.datastream.control.inventory.MemberIndex;
import io.datastream.control.metrics.ControlMetrics;
import io.datastream.control.ops.OpsPlane;
import io.datastream.control.ops.store.StoreException;
import io.datastream.control.zk.ZkGate;
import io.datastream.control.zk.ZooKeeperUnavailableException;
import io.datastream.registry.member.AgentInfo;
import io.datastream.registry.member.RouterInfo;
import io.datastream.registry.member.SinkInfo;
import io.datastream.registry.task.InvalidTaskException;
import io.datastream.registry.task.TaskConflictException;
import io.datastream.registry.task.TaskNotFoundException;
import io.datastream.registry.task.TaskStore;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.zookeeper.KeeperException;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: Javalin (Jetty) with the task, member and system routes, one JSON error shape
 * for every failure, and a metric per answered request. Bad input is always a 4xx; a 500 means a
 * bug or broken data in ZooKeeper, and is logged.
 */
public final class RestApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RestApi.class);
    private static final int MAX_HTTP_THREADS = 64;

    /** A registered route: HTTP method and path template (OpenAPI syntax, e.g. {@code /api/v1/tasks/{id}}). */
    public record Route(String method, String path) {
    }

    /** The request attribute holding who made the call (the token's name, or loopback). */
    static final String ACTOR = "ds.actor";
    /** The request attribute holding the {@link AccessGuard.Caller}. */
    static final String CALLER = "ds.caller";

    private final Javalin app;
    private final List<Route> routes = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> routePaths = ConcurrentHashMap.newKeySet();
    private final ControlMetrics metrics;

    public RestApi(ControlConfig cfg, TaskStore store, ZkGate gate, MemberIndex<AgentInfo> agents,
                   MemberIndex<RouterInfo> routers, MemberIndex<SinkInfo> sinks, ControlMetrics metrics, OpsPlane ops) {
        this.metrics = metrics;
        int maxBody = cfg.http().maxBodyBytes();
        QueuedThreadPool threads = new QueuedThreadPool(MAX_HTTP_THREADS, 4, 60_000);
        threads.setName("ds-control-http");
        this.app = Javalin.create(c -> {
            c.showJavalinBanner = false;
            c.startupWatcherEnabled = false;
            c.http.maxRequestSize = maxBody;
            c.http.defaultContentType = Http.JSON;
            c.jetty.threadPool = threads;
            c.events.handlerAdded(meta -> {
                if (meta.getHttpMethod().isHttpMethod()) {
                    routePaths.add(meta.getPath());
                    if (!ConsoleRoutes.isConsolePath(meta.getPath())) {
                        routes.add(new Route(meta.getHttpMethod().name(), meta.getPath()));
                    }
                }
            });
            c.requestLogger.http(this::record);
        });
        AccessGuard guard = new AccessGuard(cfg.auth().credentials(), cfg.auth().allowedOrigins());
        // every route but health and metrics (probes and scrapers) and the console's static files
        // (code, no data: the console calls the API with the user's token) is checked before it runs
        app.beforeMatched(ctx -> {
            String path = ctx.endpointHandlerPath();
            if (path.equals(SystemRoutes.HEALTH) || path.equals(SystemRoutes.METRICS) || ConsoleRoutes.isConsolePath(path)) {
                return;
            }
            String m = ctx.method().name();
            AccessGuard.Caller caller = m.equals("GET") || m.equals("HEAD") || m.equals("OPTIONS") ? guard.read(ctx) : guard.write(ctx);
            ctx.attribute(ACTOR, caller.name());
            ctx.attribute(CALLER, caller);
        });
        new TaskRoutes(store, gate, agents, sinks, cfg.allowedTopicsPattern(), maxBody).register(app);
        new MemberRoutes(gate, agents, routers).register(app);
        new SystemRoutes(gate, agents, routers, metrics).register(app);
        new ReportRoutes(ops.store(), maxBody).register(app);
        new SeriesRoutes(ops.store()).register(app);
        new AuditRoutes(ops.store(), ops.auditor()).register(app);
        new AlertRoutes(ops, maxBody).register(app);
        new CallerRoutes(!cfg.auth().credentials().isEmpty()).register(app);
        new ConsoleRoutes().register(app);

        app.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.body()));
        app.exception(ZooKeeperUnavailableException.class, (e, ctx) -> {
            metrics.zooKeeperUnavailable();
            ctx.header("Retry-After", "5");
            error(ctx, 503, new ApiError(e.getMessage(), List.of()));
        });
        app.exception(StoreException.class, (e, ctx) -> {
            LOG.warn("{} {}: {}", ctx.method(), ctx.path(), e.getMessage());
            ctx.header("Retry-After", "5");
            error(ctx, 503, new ApiError(e.getMessage(), List.of()));
        });
        app.exception(KeeperException.NoAuthException.class, (e, ctx) -> {
            String msg = "ZooKeeper refused the operation on " + e.getPath() + " (ACL): control's zookeeper.authFile or"
                    + " zookeeper.authEnv must hold the control credential of this tree (docs/security.md)";
            LOG.warn("{} {}: {}", ctx.method(), ctx.path(), msg);
            error(ctx, 500, new ApiError(msg, List.of()));
        });
        app.exception(TaskNotFoundException.class, (e, ctx) -> error(ctx, 404, new ApiError(e.getMessage(), List.of())));
        app.exception(TaskConflictException.class, (e, ctx) -> error(ctx, 409, new ApiError(e.getMessage(), List.of())));
        app.exception(InvalidTaskException.class, (e, ctx) -> error(ctx, 400, new ApiError("invalid task", e.errors())));
        app.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(), new ApiError(message(e, ctx), List.of())));
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
            error(ctx, 500, new ApiError("internal error: " + e.getClass().getSimpleName() + ": " + e.getMessage(), List.of()));
        });
    }

    /** Binds and serves. */
    public RestApi start(String host, int port) {
        app.start(host, port);
        return this;
    }

    /** The port bound. */
    public int port() {
        return app.port();
    }

    /** Every route registered, in registration order. */
    public List<Route> routes() {
        synchronized (routes) {
            return List.copyOf(routes);
        }
    }

    private static void error(Context ctx, int status, ApiError body) {
        Http.json(ctx, status, body);
    }

    private static String message(HttpResponseException e, Context ctx) {
        if (e.getStatus() == 404) {
            return "no such route: " + ctx.method() + " " + ctx.path();
        }
        if (e.getStatus() == 405) {
            return "method " + ctx.method() + " is not allowed on " + ctx.path();
        }
        return e.getMessage();
    }

    private void record(Context ctx, Float millis) {
        String route;
        try {
            route = ctx.endpointHandlerPath();
        } catch (RuntimeException e) {
            route = null;
        }
        if (route == null || !routePaths.contains(route)) {
            route = "unmatched";
        }
        metrics.request(ctx.method().name(), route, ctx.statusCode(), millis / 1000.0);
    }

    @Override
    public void close() {
        app.stop();
    }
}
