package io.datastream.router.route;

import io.datastream.protocol.batch.Batch;
import io.datastream.router.config.PartitionerKind;
import io.datastream.router.config.RouteMode;

/**
 * A compiled routing rule.
 *
 * @param name        "routes[2]", "ds.topic" or "defaultRoute", for messages and metrics
 * @param condition   what a batch must satisfy
 * @param topic       where it goes
 * @param mode        envelope or lines
 * @param partitioner the partitioning strategy
 * @param channel     the channel the batch is put into instead of a topic, or null ({@code topic} is then null)
 */
public record Route(String name, Condition condition, TopicTemplate<Batch> topic, RouteMode mode, PartitionerKind partitioner,
                    String channel) {
}
