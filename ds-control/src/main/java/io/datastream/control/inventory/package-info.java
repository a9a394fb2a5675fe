/**
 * In-memory views of the cluster's live members, so listing 20,000 agents never reads ZooKeeper
 * per request: {@link io.datastream.control.inventory.MemberIndex} keeps a sorted snapshot of a
 * {@link io.datastream.registry.member.MemberDirectory} (rebuilt only after a change);
 * {@link io.datastream.control.inventory.AgentQuery} and
 * {@link io.datastream.control.inventory.RouterQuery} filter it into
 * {@link io.datastream.control.inventory.Page}s; {@link io.datastream.control.inventory.TaskStatusReport}
 * gathers one task's status from the agents that run it.
 */
package io.datastream.control.inventory;
