package io.datastream.control.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datastream.registry.member.RouterInfo;
import java.io.IOException;

/**
 * A router's agent connections, read when asked from its own {@code GET /connections} (at
 * {@code host:httpPort} as the router publishes them; routers do not put them in ZooKeeper): the
 * router lists at most 1000 and says how many more. At most {@value #MAX_BYTES} bytes are read.
 * Thread-safe.
 */
final class RouterConnections {
    static final int MAX_BYTES = 4 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MemberHttp http = new MemberHttp();

    /** {"router", "total", "more", "unread", "items": [...]}, or an {@link ApiException} that says why not. */
    ObjectNode fetch(RouterInfo router) {
        String address = MemberHttp.routerAddress(router, "its connections are read from its /connections");
        String who = "router '" + router.id() + "'";
        byte[] body = http.get(who, address, "/connections", "connections", MAX_BYTES);
        JsonNode list;
        try {
            list = JSON.readTree(body);
        } catch (IOException e) {
            list = null;
        }
        if (list == null || !list.isObject() || !list.path("items").isArray() || !list.path("total").isIntegralNumber()) {
            throw new ApiException(502, who + " at " + address + " did not answer /connections with a connection list"
                    + " (a router older than this control?)");
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("router", router.id());
        out.setAll((ObjectNode) list);
        return out;
    }
}
