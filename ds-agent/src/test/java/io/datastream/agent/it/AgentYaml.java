package io.datastream.agent.it;

import io.datastream.agent.testing.TestPaths;
import java.nio.file.Path;

/** Agent configs for integration tests: fast timings, metrics off. */
final class AgentYaml {
    private AgentYaml() {
    }

    static String base(String id, Path dataDir, String routers) {
        return "id: " + id + "\n"
                + "host: it-host\n"
                + "dataDir: " + dataDir + "\n"
                + "http: {port: -1}\n"
                + TestPaths.allowTmp()
                + "routers: [" + routers + "]\n"
                + "files: {slowAfterMs: 300, slowPollMs: 50, inactiveAfterMs: 3000, releaseAfterMs: 500, shortFileWaitMs: 300, fastPollMs: 10}\n"
                + "discovery: {intervalMs: 300}\n"
                + "batch: {lingerMs: 20, maxBytes: 262144}\n"
                + "checkpoint: {intervalMs: 200}\n"
                + "status: {intervalMs: 500}\n"
                + "send: {backoffInitialMs: 50, backoffMaxMs: 1000, ackTimeoutMs: 20000}\n";
    }

    static String task(String id, String glob, String topic) {
        return "  - id: " + id + "\n"
                + "    paths: [\"" + glob + "\"]\n"
                + "    topic: " + topic + "\n";
    }
}
