package io.datastream.registry.member;

/**
 * What a router publishes about itself.
 *
 * @param id                 router id (unique in the cluster)
 * @param host               address agents connect to
 * @param port               ds protocol port
 * @param httpPort           health and metrics port
 * @param version            software version
 * @param protocolMin        oldest protocol version it speaks
 * @param protocolMax        newest protocol version it speaks
 * @param poolCapacityBytes  size of its memory pool
 * @param poolUsedBytes      bytes of the pool held by batches not yet acknowledged by Kafka
 * @param connections        agent connections now
 * @param draining           true while shutting down: agents must not pick it
 * @param updatedAtMillis    when this was written
 */
public record RouterInfo(String id, String host, int port, int httpPort, String version, int protocolMin, int protocolMax,
                         long poolCapacityBytes, long poolUsedBytes, int connections, boolean draining, long updatedAtMillis) {

    /** Pool use in [0, 1]; the load agents compare when choosing a router. */
    public double load() {
        return poolCapacityBytes <= 0 ? 1.0 : Math.min(1.0, (double) poolUsedBytes / poolCapacityBytes);
    }

    /** "host:port". */
    public String address() {
        return host + ":" + port;
    }
}
