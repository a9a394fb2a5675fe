package io.datastream.router.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datastream.router.server.ConnectionSnapshot;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The connection list is sorted, capped, and says how many it left out and how many did not answer. */
class ConnectionListTest {

    private static ConnectionSnapshot conn(String agent, int port) {
        return new ConnectionSnapshot(agent, "h", "10.0.0.1:" + port, "open", false, "OPEN", 1L, 0, 0, 0, 65536, 0);
    }

    @Test
    void atMostMaxListedAreListedSortedAndTheRestCounted() throws Exception {
        List<ConnectionSnapshot> read = new ArrayList<>();
        for (int i = ConnectionList.MAX_LISTED + 4; i > 0; i--) {
            read.add(conn(String.format("agent-%05d", i), 40_000 + i));
        }
        JsonNode body = new ObjectMapper().readTree(ConnectionList.body(read, 2));
        assertThat(body.path("total").asInt()).isEqualTo(ConnectionList.MAX_LISTED + 6);
        assertThat(body.path("more").asInt()).isEqualTo(4);
        assertThat(body.path("unread").asInt()).isEqualTo(2);
        assertThat(body.path("items").size()).isEqualTo(ConnectionList.MAX_LISTED);
        assertThat(body.path("items").get(0).path("agentId").asText()).isEqualTo("agent-00001");
        assertThat(body.path("items").get(ConnectionList.MAX_LISTED - 1).path("agentId").asText())
                .isEqualTo(String.format("agent-%05d", ConnectionList.MAX_LISTED));
    }

    @Test
    void twoConnectionsOfOneAgentAreOrderedByRemoteAddress() throws Exception {
        JsonNode body = new ObjectMapper().readTree(ConnectionList.body(List.of(conn("a", 5002), conn("a", 5001), conn("", 5003)), 0));
        assertThat(body.path("items").findValuesAsText("remoteAddress")).containsExactly("10.0.0.1:5003", "10.0.0.1:5001", "10.0.0.1:5002");
        assertThat(body.path("more").asInt()).isZero();
    }
}
