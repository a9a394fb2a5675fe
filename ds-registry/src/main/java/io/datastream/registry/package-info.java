/**
 * The ZooKeeper layout shared by agents, routers and ds-control (docs/zookeeper.md).
 *
 * <p>{@link io.datastream.registry.ZkLayout} names every path under one configurable root;
 * {@link io.datastream.registry.task} holds collection tasks (definition, validation, versioned
 * store, watch); {@link io.datastream.registry.member} holds the ephemeral registrations of
 * agents and routers and the directories that list them. All node data is JSON written with
 * {@link io.datastream.registry.RegistryJson}; readers ignore fields they do not know, so
 * components of different versions share one ZooKeeper during a rolling upgrade.
 */
package io.datastream.registry;
