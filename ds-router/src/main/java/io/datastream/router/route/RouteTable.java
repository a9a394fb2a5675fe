package io.datastream.router.route;

import io.datastream.protocol.ErrorCode;
import io.datastream.protocol.batch.Batch;
import io.datastream.registry.task.TaskSpec;
import io.datastream.router.config.ConfigErrors;
import io.datastream.router.config.DefaultRouteConfig;
import io.datastream.router.config.PartitionerKind;
import io.datastream.router.config.RouteConfig;
import io.datastream.router.config.RouteMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The routing order of docs/router.md: the configured rules (first match wins), then the batch
 * header {@value TaskSpec#TOPIC_HEADER} (set by the agent from the task's topic; it uses the
 * default route's mode and partitioner), then the default route; else NO_ROUTE. Immutable and
 * thread-safe.
 */
public final class RouteTable {
    private final List<Route> rules;
    private final RouteMode headerMode;
    private final PartitionerKind headerPartitioner;
    private final Route defaultRoute;

    private RouteTable(List<Route> rules, RouteMode headerMode, PartitionerKind headerPartitioner, Route defaultRoute) {
        this.rules = rules;
        this.headerMode = headerMode;
        this.headerPartitioner = headerPartitioner;
        this.defaultRoute = defaultRoute;
    }

    /**
     * Compiles the configured routes. Problems go to {@code errors}, each with its key
     * ("routes[2].when: at position 14: ..."); the result is null when there was any.
     */
    public static RouteTable compile(List<RouteConfig> routes, DefaultRouteConfig defaults, PartitionerKind defaultPartitioner,
                                     ConfigErrors errors) {
        List<Route> compiled = new ArrayList<>();
        boolean failed = false;
        for (int i = 0; i < routes.size(); i++) {
            String key = "routes[" + i + "]";
            RouteConfig r = routes.get(i);
            if (r == null) {
                errors.add(key, "must not be empty");
                failed = true;
                continue;
            }
            Route route = compileRule(key, r, defaultPartitioner, errors);
            failed |= route == null;
            compiled.add(route);
        }
        RouteMode defaultMode = RouteMode.fromConfig(defaults.mode());
        PartitionerKind defaultKind = defaults.partitioner() == null ? defaultPartitioner : PartitionerKind.fromConfig(defaults.partitioner());
        Route fallback = null;
        if (defaults.enabled()) {
            try {
                fallback = new Route("defaultRoute", Condition.ALWAYS, TopicTemplate.compile(defaults.topic()), defaultMode, defaultKind, null);
            } catch (ExpressionException e) {
                errors.add("defaultRoute.topic", e.getMessage());
                failed = true;
            }
        }
        if (failed || defaultMode == null || defaultKind == null) {
            return null;
        }
        return new RouteTable(List.copyOf(compiled), defaultMode, defaultKind, fallback);
    }

    private static Route compileRule(String key, RouteConfig r, PartitionerKind defaultPartitioner, ConfigErrors errors) {
        Condition when = Condition.ALWAYS;
        TopicTemplate<Batch> topic = null;
        boolean ok = true;
        if (r.when() != null && !r.when().isBlank()) {
            try {
                when = ExpressionCompiler.compile(r.when());
            } catch (ExpressionException e) {
                errors.add(key + ".when", e.getMessage());
                ok = false;
            }
        }
        if (r.topic() != null && !r.topic().isBlank()) {
            try {
                topic = TopicTemplate.compile(r.topic());
            } catch (ExpressionException e) {
                errors.add(key + ".topic", e.getMessage());
                ok = false;
            }
        }
        RouteMode mode = RouteMode.fromConfig(r.mode());
        PartitionerKind kind = r.partitioner() == null ? defaultPartitioner : PartitionerKind.fromConfig(r.partitioner());
        if (!ok || (topic == null) == (r.channel() == null) || mode == null || kind == null) {
            return null;
        }
        Condition condition = when;
        if (r.task() != null) {
            NameGlob task = new NameGlob(r.task());
            Condition w = when;
            condition = b -> task.matches(b.taskId()) && w.test(b);
        }
        return new Route(key, condition, topic, mode, kind, r.channel());
    }

    /** Where {@code batch} goes, evaluated once per batch on its header fields. */
    public Resolution resolve(Batch batch) {
        for (Route r : rules) {
            if (r.condition().test(batch)) {
                return r.channel() != null ? Resolution.intoChannel(r) : expand(r, batch);
            }
        }
        String header = batch.headers().get(TaskSpec.TOPIC_HEADER);
        if (header != null && !header.isEmpty()) {
            if (!Topics.isValid(header)) {
                return Resolution.refused(ErrorCode.TOPIC_NOT_ALLOWED, "header " + TaskSpec.TOPIC_HEADER + " names '" + header
                        + "', not a valid Kafka topic name (" + Topics.RULE + ")");
            }
            return new Resolution(header, headerMode, headerPartitioner, null, ErrorCode.NONE, "");
        }
        if (defaultRoute != null) {
            return expand(defaultRoute, batch);
        }
        return Resolution.refused(ErrorCode.NO_ROUTE, "no routing rule matches task '" + batch.taskId()
                + "', the batch has no " + TaskSpec.TOPIC_HEADER + " header and there is no default route");
    }

    private static Resolution expand(Route r, Batch batch) {
        String topic = r.topic().expand(batch);
        if (!Topics.isValid(topic)) {
            return Resolution.refused(ErrorCode.TOPIC_NOT_ALLOWED, r.name() + " gives topic '" + topic
                    + "', not a valid Kafka topic name (" + Topics.RULE + ")");
        }
        return Resolution.to(topic, r);
    }

    /** Whether any route (rules, the ds.topic header route, the default route) writes in {@code mode}. */
    public boolean usesMode(RouteMode mode) {
        return headerMode == mode || rules.stream().anyMatch(r -> r.channel() == null && r.mode() == mode);
    }

    /** The channels rules put batches into, in rule order, each once. */
    public java.util.Set<String> channels() {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        for (Route r : rules) {
            if (r.channel() != null) {
                out.add(r.channel());
            }
        }
        return out;
    }

    /** The compiled rules, in order (without the header and default routes). */
    public List<Route> rules() {
        return rules;
    }
}
