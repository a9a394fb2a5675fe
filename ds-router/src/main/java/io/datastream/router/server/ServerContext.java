package io.datastream.router.server;

import io.datastream.router.auth.AgentCredentials;
import io.datastream.router.auth.AuthMetrics;
import io.datastream.router.auth.TaskAssignments;
import io.datastream.router.config.RouteMode;
import io.datastream.router.credit.CreditPolicy;
import io.datastream.router.credit.CreditPump;
import io.datastream.router.credit.MemoryPool;
import io.datastream.router.http.RouterMetrics;
import io.datastream.router.kafka.KafkaSender;
import io.datastream.router.kafka.PartitionStrategies;
import io.datastream.router.report.RouterReports;
import io.datastream.router.route.RouteTable;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * What every connection of one router shares.
 *
 * @param senders    one Kafka sender per route mode in use
 * @param draining   whether the router is shutting down
 * @param nanoClock  monotonic time
 * @param authMetrics refusals by TLS, authentication and authorization
 * @param credentials who may connect as an agent, and what each may write
 * @param reports    minute reports to control (counts per task and read minute)
 * @param assignments the tasks ZooKeeper assigns to each agent ({@code auth.onlyAssignedTasks}), or null when off
 * @param channels   the channels routes put batches into ({@code routes[].channel}), by name
 * @param channelMetrics batches routed into channels, by channel and outcome
 */
public record ServerContext(ServerSettings settings, MemoryPool pool, CreditPolicy credit, CreditPump pump, RouterMetrics metrics,
                            Connections connections, RouteTable routes, PartitionStrategies strategies,
                            Map<RouteMode, KafkaSender> senders, BooleanSupplier draining, LongSupplier nanoClock,
                            AuthMetrics authMetrics, AgentCredentials credentials, RouterReports reports,
                            TaskAssignments assignments, Map<String, ChannelTarget> channels, ChannelRouteMetrics channelMetrics) {
}
