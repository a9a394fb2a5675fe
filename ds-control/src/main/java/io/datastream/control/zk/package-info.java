/**
 * The gate in front of ZooKeeper: {@link io.datastream.control.zk.ZkGate} refuses a call at once
 * while the Curator connection is down, bounds every call by a timeout, and turns connection
 * failures into {@link io.datastream.control.zk.ZooKeeperUnavailableException} (HTTP 503). It
 * holds no state of its own, so the API works again as soon as Curator reconnects.
 */
package io.datastream.control.zk;
