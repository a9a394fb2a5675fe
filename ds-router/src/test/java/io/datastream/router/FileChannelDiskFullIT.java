package io.datastream.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.datastream.router.sim.EventClient;
import io.datastream.router.sim.Http;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A router whose file channel lives on a tmpfs of 4 MiB (mounted by the test: needs root or
 * CAP_SYS_ADMIN, skipped with the reason otherwise), far below the channel's capacity, drained by
 * a webhook sink whose target is down: the disk fills, the source answers 429 with Retry-After,
 * the failures are counted and named in /health, and the router lives; the target comes up, the
 * sink drains, the channel takes events again without a restart, and every event answered 200
 * reaches the target.
 */
class FileChannelDiskFullIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private final Set<String> delivered = ConcurrentHashMap.newKeySet();

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    private HttpServer target(int port) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
        s.createContext("/hook", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            for (String line : body.split("\n")) {
                if (!line.isEmpty()) {
                    delivered.add(JSON.readTree(line).get("body").asText());
                }
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        s.start();
        return s;
    }

    private static String request(String prefix, int n, List<String> bodies) {
        List<Map<String, String>> headers = new ArrayList<>();
        List<String> b = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            headers.add(Map.of());
            b.add(prefix + "-" + n + "-" + i + "-" + "x".repeat(1000));
        }
        bodies.addAll(b);
        return EventClient.jsonArray(headers, b);
    }

    @Test
    void aFullDiskIsAnswered429AndTheChannelTakesEventsAgainOnceTheSinkDrained() throws Exception {
        Path fs = Files.createDirectories(tmp.resolve("tmpfs"));
        int rc = run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", fs.toString());
        assumeTrue(rc == 0, "cannot mount a tmpfs here (mount exited " + rc + "; needs root or CAP_SYS_ADMIN): no size-limited file system");
        int hookPort;
        try (ServerSocket free = new ServerSocket(0)) {
            hookPort = free.getLocalPort();
        }
        HttpServer hook = null;
        try (Router router = Router.start(RouterConfig.fromYaml("""
                id: disk-full-it
                listen: {host: 127.0.0.1, port: 0}
                http: {host: 127.0.0.1, port: 0}
                drain: {timeoutMs: 2000}
                httpSource:
                  enabled: true
                  port: 0
                  channels:
                    - {name: events, type: file, dir: "%s", capacityBytes: 67108864, segmentBytes: 1048576}
                  sinks:
                    - {name: to-hook, channel: events, type: webhook, url: "http://127.0.0.1:%d/hook", retryBackoffMs: 50,
                       maxRetryBackoffMs: 400, timeoutMs: 2000}
                """.formatted(fs.resolve("queue"), hookPort)))) {
            EventClient client = new EventClient(router.eventsPort());
            Set<String> ok = new HashSet<>();
            int n = 0;
            EventClient.Answer refused = null;
            while (refused == null) {
                List<String> bodies = new ArrayList<>();
                EventClient.Answer a = client.post(request("fill", n++, bodies));
                if (a.status() == 200) {
                    ok.addAll(bodies);
                } else {
                    refused = a;
                }
                assertThat(n).as("the disk never filled").isLessThan(1000);
            }
            assertThat(refused.status()).as(refused.body()).isEqualTo(429);
            assertThat(refused.retryAfter()).isNotNull();
            assertThat(refused.body()).contains("channel_full");
            assertThat(ok).isNotEmpty();
            assertThat(Http.metric(router.httpPort(), "ds_router_channel_segment_failures_total{channel=\"events\"}")).isPositive();
            assertThat(Http.metric(router.httpPort(), "ds_router_channel_used_bytes{channel=\"events\"}")).isLessThan(4 << 20);
            Http.Response health = Http.get(router.httpPort(), "/health");
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.body()).contains("channel events: cannot create a segment file");

            hook = target(hookPort);
            await().atMost(Duration.ofSeconds(60)).until(() -> delivered.containsAll(ok));
            // the sink's position is persisted, the consumed segments deleted: room again, no restart
            List<String> after = new ArrayList<>();
            int[] m = {0};
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                List<String> bodies = new ArrayList<>();
                if (client.post(request("after", m[0]++, bodies)).status() != 200) {
                    return false;
                }
                after.addAll(bodies);
                return true;
            });
            await().atMost(Duration.ofSeconds(60)).until(() -> delivered.containsAll(after));
            assertThat(Http.get(router.httpPort(), "/health").body()).doesNotContain("cannot create a segment file");
            System.out.printf("disk full: %d events answered 200, then 429 after %d requests; %d events after the sink drained%n",
                    ok.size(), n, after.size());
        } finally {
            if (hook != null) {
                hook.stop(0);
            }
            if (run("umount", fs.toString()) != 0) {
                run("umount", "-l", fs.toString());
            }
        }
    }
}
