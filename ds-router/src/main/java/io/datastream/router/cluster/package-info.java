/**
 * The router in its cluster: its ephemeral registration in ZooKeeper with its load
 * ({@link io.datastream.router.cluster.RouterRegistration}), the view of the other routers, and
 * traffic migration ({@link io.datastream.router.cluster.MigrationPolicy} decides,
 * {@link io.datastream.router.cluster.MigrationController} sends GOAWAY(MIGRATE) to a share of the
 * agents, pointing them at the least loaded routers).
 */
package io.datastream.router.cluster;
