/**
 * The container suite: the whole cluster on Docker with the locally built images
 * ({@code datastream/*:local}, deploy/docker): ZooKeeper, Kafka (KRaft), control, two routers behind
 * an HAProxy container, three agent containers and the sink, on one network. Each scenario writes
 * and rotates logs on bind-mounted host directories, injects container faults (kill, pause,
 * network disconnect, rolling replacement), and ends by comparing the sink's committed output
 * with what was written (every line exactly once) and reconciling each tier's counts.
 * Without Docker the suite is skipped, unless {@code DS_DOCKER_REQUIRED=1} (CI), then it fails.
 */
package io.datastream.it.docker;
