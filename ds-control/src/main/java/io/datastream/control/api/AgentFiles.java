package io.datastream.control.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datastream.registry.member.AgentInfo;
import java.io.IOException;

/**
 * Fetches an agent's per-file status from its own HTTP port ({@code GET http://ADDRESS/files},
 * the address the agent publishes in ZooKeeper) when asked: per-file state is never stored in
 * ZooKeeper. Only that path, only GET, at most {@value #MAX_BYTES} bytes, within
 * {@link MemberHttp#TIMEOUT}; what comes back must be a JSON array. Thread-safe.
 */
final class AgentFiles {
    static final int MAX_BYTES = 16 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MemberHttp http = new MemberHttp();

    /** The agent's files, or an {@link ApiException} that says why not (409 no address, 502 unreachable or a bad answer). */
    JsonNode fetch(AgentInfo agent) {
        String address = agent.httpAddress();
        if (address == null || address.isBlank()) {
            throw new ApiException(409, "agent '" + agent.id() + "' publishes no HTTP address: its http.port is -1, or it is older than"
                    + " this control; per-file status needs the agent's http.port reachable from control");
        }
        byte[] body = http.get("agent '" + agent.id() + "'", address, "/files", "files", MAX_BYTES);
        JsonNode files;
        try {
            files = JSON.readTree(body);
        } catch (IOException e) {
            files = null;
        }
        if (files == null || !files.isArray()) {
            throw new ApiException(502, "agent '" + agent.id() + "' at " + address + " did not answer /files with a JSON array");
        }
        return files;
    }
}
