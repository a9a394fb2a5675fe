/**
 * Collection tasks: the definition ({@link io.datastream.registry.task.TaskSpec}) with its
 * validation, the versioned store in ZooKeeper used by ds-control
 * ({@link io.datastream.registry.task.TaskStore}), and the live view agents watch
 * ({@link io.datastream.registry.task.TaskDirectory}).
 */
package io.datastream.registry.task;
