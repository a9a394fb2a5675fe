package io.datastream.router.source.internal;

import io.datastream.router.config.HttpSourceConfig;
import io.datastream.router.event.Event;
import io.datastream.router.route.ExpressionCompiler;
import io.datastream.router.route.ExpressionException;
import io.datastream.router.route.Fields;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Chooses an event's channel: the rules of {@code httpSource.routes} in order (expressions over
 * the event's headers, compiled once), then {@code httpSource.defaultChannel}; else none.
 * Immutable and thread-safe.
 */
public final class EventRouting {
    private record Rule(Predicate<Event> when, String channel) {
    }

    private final List<Rule> rules;
    private final String defaultChannel;

    private EventRouting(List<Rule> rules, String defaultChannel) {
        this.rules = rules;
        this.defaultChannel = defaultChannel;
    }

    /** Compiles the routes of a validated configuration. */
    public static EventRouting compile(HttpSourceConfig cfg) {
        List<Rule> rules = new ArrayList<>();
        for (HttpSourceConfig.EventRouteConfig r : cfg.routes()) {
            try {
                Predicate<Event> when = r.when() == null ? e -> true : ExpressionCompiler.compile(r.when(), Fields.EVENT);
                rules.add(new Rule(when, r.channel()));
            } catch (ExpressionException e) {
                throw new IllegalArgumentException("route does not compile (the configuration was not validated): " + e.getMessage(), e);
            }
        }
        return new EventRouting(List.copyOf(rules), cfg.defaultChannel().isEmpty() ? null : cfg.defaultChannel());
    }

    /** The channel of {@code event}, or null when no rule takes it and there is no default channel. */
    public String channelOf(Event event) {
        for (Rule r : rules) {
            if (r.when().test(event)) {
                return r.channel();
            }
        }
        return defaultChannel;
    }
}
