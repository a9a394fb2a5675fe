package io.datastream.control.api;

import io.datastream.control.inventory.MemberIndex;
import io.datastream.control.inventory.TaskStatusReport;
import io.datastream.control.zk.ZkGate;
import io.datastream.registry.member.AgentInfo;
import io.datastream.registry.member.SinkInfo;
import io.datastream.registry.task.FieldError;
import io.datastream.registry.task.InvalidTaskException;
import io.datastream.registry.task.TaskChange;
import io.datastream.registry.task.TaskSpec;
import io.datastream.registry.task.TaskStore;
import io.datastream.registry.task.VersionedTask;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Task routes: list, create, read, update, delete (optimistic concurrency on the task version),
 * a task's status gathered from its agents, and its change history. Every write is one ZooKeeper
 * transaction (the task and its audit record, naming the caller) after full validation, so a
 * refused request never leaves a partial task behind. Access is checked before a route runs
 * ({@link AccessGuard}).
 */
final class TaskRoutes {
    static final String TASKS = "/api/v1/tasks";
    static final String TASK = "/api/v1/tasks/{id}";
    static final String STATUS = "/api/v1/tasks/{id}/status";
    static final String HISTORY = "/api/v1/tasks/{id}/history";

    private final TaskStore store;
    private final ZkGate gate;
    private final MemberIndex<AgentInfo> agents;
    private final MemberIndex<SinkInfo> sinks;
    private final TaskRequests requests;
    private final int maxBodyBytes;

    TaskRoutes(TaskStore store, ZkGate gate, MemberIndex<AgentInfo> agents, MemberIndex<SinkInfo> sinks, Pattern allowedTopics,
               int maxBodyBytes) {
        this.store = store;
        this.gate = gate;
        this.agents = agents;
        this.sinks = sinks;
        this.requests = new TaskRequests(allowedTopics);
        this.maxBodyBytes = maxBodyBytes;
    }

    void register(Javalin app) {
        app.get(TASKS, this::list);
        app.post(TASKS, this::create);
        app.get(TASK, this::get);
        app.put(TASK, this::update);
        app.delete(TASK, this::delete);
        app.get(STATUS, this::status);
        app.get(HISTORY, this::history);
    }

    /** The JSON of a stored task: its version, when it changed, and the task. */
    static Map<String, Object> view(VersionedTask t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", t.version());
        m.put("modifiedAtMillis", t.modifiedAtMillis());
        m.put("task", t.spec());
        return m;
    }

    private void list(Context ctx) throws Exception {
        List<VersionedTask> all = gate.call(store::list);
        List<Map<String, Object>> items = new ArrayList<>(all.size());
        for (VersionedTask t : all) {
            items.add(view(t));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items);
        body.put("total", items.size());
        Http.json(ctx, body);
    }

    private void create(Context ctx) throws Exception {
        TaskSpec spec = requests.parse(Http.body(ctx, maxBodyBytes), null).spec();
        List<String> warnings = checkPaths(spec);
        String actor = actor(ctx);
        VersionedTask created = gate.call(() -> store.create(spec, actor));
        ctx.header("Location", TASKS + "/" + created.spec().id());
        answer(ctx, 201, created, warnings);
    }

    /** Refuses paths no selected agent allows ({@link PathCheck}); the warnings go into the answer. */
    private List<String> checkPaths(TaskSpec spec) throws InvalidTaskException {
        PathCheck.Result r = PathCheck.check(spec, agents.sorted());
        if (!r.errors().isEmpty()) {
            throw new InvalidTaskException(r.errors());
        }
        return r.warnings();
    }

    private void get(Context ctx) throws Exception {
        String id = id(ctx);
        answer(ctx, 200, gate.call(() -> store.get(id)));
    }

    private void update(Context ctx) throws Exception {
        String id = id(ctx);
        TaskRequests.Parsed parsed = requests.parse(Http.body(ctx, maxBodyBytes), id);
        Integer header = ifMatch(ctx);
        Integer version = parsed.version();
        if (header != null && version != null && !header.equals(version)) {
            throw ApiException.badField("version", "the body says " + version + " but If-Match says " + header);
        }
        int expected = requireVersion(header != null ? header : version);
        List<String> warnings = checkPaths(parsed.spec());
        String actor = actor(ctx);
        answer(ctx, 200, gate.call(() -> store.update(parsed.spec(), expected, actor)), warnings);
    }

    private void delete(Context ctx) throws Exception {
        String id = id(ctx);
        Integer version = ifMatch(ctx);
        String q = ctx.queryParam("version");
        if (q != null) {
            Integer fromQuery = parseVersion(q, "version");
            if (version != null && !version.equals(fromQuery)) {
                throw ApiException.badField("version", "the query says " + q + " but If-Match says " + version);
            }
            version = fromQuery;
        }
        int expected = requireVersion(version);
        String actor = actor(ctx);
        gate.call(() -> {
            store.delete(id, expected, actor);
            return null;
        });
        ctx.status(204);
    }

    private void status(Context ctx) throws Exception {
        String id = id(ctx);
        int limit = Http.limit(ctx);
        String after = Http.after(ctx);
        VersionedTask task = gate.call(() -> store.get(id));
        Http.json(ctx, TaskStatusReport.gather(task, agents.sorted(), sinks.sorted(), after, limit));
    }

    /** The task's changes, newest first: who, when, what before and after (at most {@code limit}). */
    private void history(Context ctx) throws Exception {
        String id = id(ctx);
        int limit = Http.limit(ctx);
        List<TaskChange> changes = gate.call(() -> store.history(id, limit));
        if (changes.isEmpty()) {
            throw new ApiException(404, "task '" + id + "' has no recorded changes");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", changes);
        body.put("total", changes.size());
        Http.json(ctx, body);
    }

    private static String actor(Context ctx) {
        String a = ctx.attribute(RestApi.ACTOR);
        return a == null ? AccessGuard.LOOPBACK : a;
    }

    private static void answer(Context ctx, int status, VersionedTask t) {
        answer(ctx, status, t, List.of());
    }

    /** The stored task, and {@code warnings} (only when there are some). */
    private static void answer(Context ctx, int status, VersionedTask t, List<String> warnings) {
        ctx.header("ETag", "\"" + t.version() + "\"");
        Map<String, Object> body = view(t);
        if (!warnings.isEmpty()) {
            body.put("warnings", warnings);
        }
        Http.json(ctx, status, body);
    }

    private static String id(Context ctx) {
        String id = ctx.pathParam("id");
        List<FieldError> errors = TaskRequests.idErrors(id);
        if (!errors.isEmpty()) {
            throw new ApiException(400, "invalid task id: " + errors.get(0).message(), errors);
        }
        return id;
    }

    /** If-Match: {@code "3"}, {@code 3}, or {@code *} (any version: -1). */
    private static Integer ifMatch(Context ctx) {
        String h = ctx.header("If-Match");
        if (h == null || h.isBlank()) {
            return null;
        }
        h = h.trim();
        if (h.equals("*")) {
            return -1;
        }
        if (h.length() >= 2 && h.startsWith("\"") && h.endsWith("\"")) {
            h = h.substring(1, h.length() - 1);
        }
        return parseVersion(h, "If-Match");
    }

    private static Integer parseVersion(String s, String field) {
        try {
            int v = Integer.parseInt(s.trim());
            if (v >= -1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badField(field, "must be a task version (an integer >= 0, or * for any), was '" + s + "'");
    }

    private static int requireVersion(Integer v) {
        if (v == null) {
            throw new ApiException(428, "send the version you read: an If-Match header (\"3\", or * for any version)"
                    + " or a \"version\" field", List.of(new FieldError("version", "is required")));
        }
        return v;
    }
}
