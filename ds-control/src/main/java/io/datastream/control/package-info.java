/**
 * The control platform's server: {@link io.datastream.control.ControlServer} serves the REST API
 * over the tasks, agents and routers that ZooKeeper holds, configured by
 * {@link io.datastream.control.ControlConfig} (YAML, validated before anything starts).
 *
 * <p>Sub-packages: {@code api} (HTTP routes, request parsing, errors, auth), {@code zk} (the
 * fail-fast gate in front of ZooKeeper), {@code inventory} (in-memory views of agents and
 * routers, filters, pages, task status), {@code metrics} (Prometheus) and {@code cli}
 * ({@code ds control} and {@code ds ctl}). See docs/control.md and docs/zookeeper.md.
 */
package io.datastream.control;
