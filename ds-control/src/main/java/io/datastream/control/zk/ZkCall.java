package io.datastream.control.zk;

/** One piece of ZooKeeper work run through the {@link ZkGate}. */
@FunctionalInterface
public interface ZkCall<T> {
    T call() throws Exception;
}
