/** Where tasks come from: the local config and ZooKeeper (filtered by host selector). */
package io.datastream.agent.task;
