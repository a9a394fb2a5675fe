package io.datastream.control.zk;

/** ZooKeeper could not be used for this call (not connected, too slow, connection lost); HTTP 503. */
public final class ZooKeeperUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    public ZooKeeperUnavailableException(String message) {
        super(message);
    }

    public ZooKeeperUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
