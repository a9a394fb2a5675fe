package io.datastream.control.bench;

import io.datastream.control.ControlConfig;
import io.datastream.control.ControlServer;
import io.datastream.control.HttpJson;
import io.datastream.registry.RegistryJson;
import io.datastream.registry.ZkLayout;
import io.datastream.registry.member.AgentInfo;
import io.datastream.registry.member.TaskStatus;
import io.datastream.registry.task.TaskDirectory;
import io.datastream.registry.task.VersionedTask;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.BoundedExponentialBackoffRetry;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;

/**
 * Control-plane benchmark (numbers, not a test). In one JVM: a real ZooKeeper server (Curator's
 * TestingServer, or {@code --zk host:port}), {@code --agents} simulated agents registered as
 * ephemeral {@code AgentInfo} nodes through {@code --register-sessions} Curator sessions, a
 * ControlServer, and {@code --watchers} TaskDirectory instances (the agent's task watch) spread
 * over {@code --watch-sessions} Curator sessions, each standing for one agent with a host name.
 *
 * <p>Measures (1) REST agent listing and filtering answer times, idle and while agents refresh
 * their nodes, and a task status gathered over every agent; (2) for task changes made through
 * the REST API, the time until each matching agent's TaskDirectory reports the new version.
 *
 * <pre>
 * mvn -B -o -q -pl ds-control test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.cp
 * java -Xmx3g -cp ds-control/target/test-classes:ds-control/target/classes:$(cat ds-control/target/bench.cp) \
 *      io.datastream.control.bench.ControlBenchmark --agents 20000 --watchers 20000
 * </pre>
 */
public final class ControlBenchmark {
    private final Map<String, String> args;
    private final ZkLayout layout = ZkLayout.defaults();

    private ControlBenchmark(Map<String, String> args) {
        this.args = args;
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("agents", "20000");
        a.put("register-sessions", "8");
        a.put("watchers", "20000");
        a.put("watch-sessions", "40");
        a.put("requests", "300");
        a.put("changes", "5");
        a.put("warmup-changes", "2");
        a.put("churn-per-sec", "2000");
        a.put("listing", "true");
        a.put("watch-mode", "taskdirectory");
        a.put("zk", "");
        for (int i = 0; i + 1 < argv.length; i += 2) {
            String k = argv[i].replaceFirst("^--", "");
            if (!a.containsKey(k)) {
                throw new IllegalArgumentException("unknown option --" + k + "; known: " + a.keySet());
            }
            a.put(k, argv[i + 1]);
        }
        new ControlBenchmark(a).run();
    }

    private int intArg(String k) {
        return Integer.parseInt(args.get(k));
    }

    private void run() throws Exception {
        System.out.printf("ControlBenchmark %s%njava %s, %d cpus, max heap %d MiB%n%n", args, System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        TestingServer zkServer = null;
        String connect = args.get("zk");
        if (connect.isEmpty()) {
            // maxClientCnxns 0: no per-IP connection limit (all sessions come from this host)
            zkServer = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, -1, 0), true);
            connect = zkServer.getConnectString();
        }
        List<CuratorFramework> clients = new ArrayList<>();
        try {
            int agents = intArg("agents");
            List<CuratorFramework> registrars = sessions(connect, intArg("register-sessions"), clients);
            long t0 = System.nanoTime();
            register(registrars, agents);
            System.out.printf("registered %d agents (ephemeral nodes) over %d sessions in %.1f s%n", agents, registrars.size(),
                    (System.nanoTime() - t0) / 1e9);

            t0 = System.nanoTime();
            try (ControlServer server = ControlServer.start(ControlConfig.fromYaml("http: {host: 127.0.0.1, port: 0}\nstore: {path: target/ops-db/bench.db}\n"
                    + "zookeeper: {connect: '" + connect + "'}\n"))) {
                HttpJson api = new HttpJson(server.localUrl());
                while (api.get("/health").json().path("agents").asInt() < agents) {
                    TimeUnit.MILLISECONDS.sleep(50); // a benchmark main, not a test: plain polling is fine here
                }
                System.out.printf("control server started and loaded %d agents in %.1f s%n%n", agents, (System.nanoTime() - t0) / 1e9);
                createTask(api, "nginx", List.of("web-*"));
                if (Boolean.parseBoolean(args.get("listing"))) {
                    listing(api, registrars, agents);
                }
                propagation(api, connect, clients, agents);
            }
        } finally {
            for (CuratorFramework c : clients) {
                c.close();
            }
            if (zkServer != null) {
                zkServer.close();
            }
        }
    }

    private static List<CuratorFramework> sessions(String connect, int n, List<CuratorFramework> all) throws InterruptedException {
        List<CuratorFramework> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            CuratorFramework c = CuratorFrameworkFactory.builder().connectString(connect).sessionTimeoutMs(60_000)
                    .connectionTimeoutMs(30_000).retryPolicy(new BoundedExponentialBackoffRetry(200, 2_000, 10)).build();
            c.start();
            if (!c.blockUntilConnected(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no ZooKeeper session");
            }
            out.add(c);
            all.add(c);
        }
        return out;
    }

    /** Host of simulated agent i: half web-*, a quarter db-*, a quarter cache-*. */
    static String host(int i) {
        String kind = i % 2 == 0 ? "web" : (i % 4 == 1 ? "db" : "cache");
        return String.format(Locale.ROOT, "%s-%05d", kind, i);
    }

    static String agentId(int i) {
        return String.format(Locale.ROOT, "agent-%05d", i);
    }

    static AgentInfo agentInfo(int i, long now) {
        Map<String, String> labels = Map.of("env", i % 3 == 0 ? "staging" : "prod", "dc", i % 5 == 0 ? "us" : "eu");
        Map<String, TaskStatus> status = new LinkedHashMap<>();
        status.put("syslog", new TaskStatus("running", 2, 1024L * (i % 7), 10L * (i % 50), 10_000L + i, 1_000_000L + i, 10_000L + i,
                0, 0, 0, null));
        if (i % 2 == 0) {
            status.put("nginx", new TaskStatus(i % 100 == 0 ? "parked" : "running", 4, 4096L * (i % 11), 20L * (i % 40),
                    50_000L + i, 8_000_000L + i, 49_000L + i, i % 13, 0, i % 100 == 0 ? 1 : 0, i % 100 == 0 ? "REJECTED NO_ROUTE" : null));
        }
        return new AgentInfo(agentId(i), host(i), "0.1.0", labels, List.copyOf(status.keySet()), status,
                "router-" + (i % 16) + ":7100", now - 3_600_000, now);
    }

    private void register(List<CuratorFramework> registrars, int agents) throws Exception {
        registrars.get(0).createContainers(layout.agents());
        Semaphore inFlight = new Semaphore(2_000);
        CountDownLatch done = new CountDownLatch(agents);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long now = System.currentTimeMillis();
        for (int i = 0; i < agents; i++) {
            inFlight.acquire();
            CuratorFramework c = registrars.get(i % registrars.size());
            c.create().withMode(CreateMode.EPHEMERAL).inBackground((client, event) -> {
                if (event.getResultCode() != KeeperException.Code.OK.intValue()) {
                    failure.compareAndSet(null, KeeperException.create(KeeperException.Code.get(event.getResultCode()), event.getPath()));
                }
                inFlight.release();
                done.countDown();
            }).forPath(layout.agent(agentId(i)), RegistryJson.write(agentInfo(i, now)));
        }
        if (!done.await(10, TimeUnit.MINUTES) || failure.get() != null) {
            throw new IllegalStateException("registration failed", failure.get());
        }
    }

    private void createTask(HttpJson api, String id, List<String> hostGlobs) {
        String body = "{\"id\":\"" + id + "\",\"paths\":[\"/var/log/" + id + "/*.log\"],\"hosts\":{\"hostnames\":[\""
                + String.join("\",\"", hostGlobs) + "\"]}}";
        HttpJson.Answer a = api.post("/api/v1/tasks", body);
        if (a.status() != 201) {
            throw new IllegalStateException("create failed: " + a.status() + " " + a.text());
        }
    }

    // ------------------------------------------------------------------ listing

    private void listing(HttpJson api, List<CuratorFramework> registrars, int agents) throws Exception {
        Map<String, String> queries = new LinkedHashMap<>();
        queries.put("first page (limit=100)", "/api/v1/agents?limit=100");
        queries.put("host glob web-00* (limit=100)", "/api/v1/agents?host=web-00*&limit=100");
        queries.put("labels env=prod&dc=us (limit=100)", "/api/v1/agents?label=env=prod&label=dc=us&limit=100");
        queries.put("task=nginx&state=parked", "/api/v1/agents?task=nginx&state=parked&limit=1000");
        queries.put("page of 1000 after the middle", "/api/v1/agents?limit=1000&after=" + agentId(agents / 2));
        queries.put("task status over all agents", "/api/v1/tasks/nginx/status?limit=100");
        int n = intArg("requests");
        System.out.println("REST answer times, " + agents + " agents, sequential requests (ms):");
        System.out.println("| query | agents matched | p50 | p99 | max |");
        System.out.println("|---|---|---|---|---|");
        for (Map.Entry<String, String> q : queries.entrySet()) {
            measure(api, q.getKey(), q.getValue(), n);
        }
        // agents refresh their nodes all the time: every change invalidates the sorted snapshot
        int perSec = intArg("churn-per-sec");
        Churn churn = new Churn(registrars, agents, perSec);
        Thread t = new Thread(churn, "churn");
        t.start();
        try {
            measure(api, "first page, while " + perSec + " agent updates/s", "/api/v1/agents?limit=100", n);
            measure(api, "host glob web-00*, while " + perSec + " agent updates/s", "/api/v1/agents?host=web-00*&limit=100", n);
        } finally {
            churn.stop = true;
            t.join();
        }
        System.out.printf("(churn thread applied %d updates)%n%n", churn.applied.get());
    }

    private static void measure(HttpJson api, String name, String path, int n) {
        for (int i = 0; i < 30; i++) {
            check(api.get(path));
        }
        Histogram h = new Histogram(60_000_000_000L, 3);
        HttpRequest request = api.req(path).GET().build();
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            HttpResponse<byte[]> r = send(request);
            h.recordValue(System.nanoTime() - t0);
            if (r.statusCode() != 200) {
                throw new IllegalStateException(r.statusCode() + " " + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        HttpJson.Answer last = api.get(path);
        int matched = last.json().has("total") ? last.json().path("total").asInt() : last.json().path("summary").path("reporting").asInt();
        System.out.printf(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f |%n", name, matched, h.getValueAtPercentile(50) / 1e6,
                h.getValueAtPercentile(99) / 1e6, h.getMaxValue() / 1e6);
    }

    private static final HttpClient RAW = HttpClient.newHttpClient();

    /** The raw round trip: request sent, whole body received as bytes (no JSON parsing on the client). */
    private static HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return RAW.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void check(HttpJson.Answer a) {
        if (a.status() != 200) {
            throw new IllegalStateException(a.status() + " " + a.text());
        }
    }

    /** Rewrites agent nodes at a fixed rate, like agents refreshing their status. */
    private final class Churn implements Runnable {
        final List<CuratorFramework> clients;
        final int agents;
        final int perSec;
        final AtomicLong applied = new AtomicLong();
        volatile boolean stop;

        Churn(List<CuratorFramework> clients, int agents, int perSec) {
            this.clients = clients;
            this.agents = agents;
            this.perSec = perSec;
        }

        @Override
        public void run() {
            long start = System.nanoTime();
            long sent = 0;
            Semaphore inFlight = new Semaphore(1_000);
            while (!stop) {
                long due = (System.nanoTime() - start) * perSec / 1_000_000_000L;
                if (sent >= due) {
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                    continue;
                }
                int i = (int) (sent % agents);
                try {
                    inFlight.acquire();
                    clients.get(i % clients.size()).setData().inBackground((c, e) -> {
                        inFlight.release();
                        applied.incrementAndGet();
                    }).forPath(layout.agent(agentId(i)), RegistryJson.write(agentInfo(i, System.currentTimeMillis())));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                sent++;
            }
        }
    }

    // ------------------------------------------------------------------ propagation

    /** What each simulated agent has seen of the task "nginx": version, when (nanoTime), whether it matches. */
    private static final class Seen {
        final int[] version;
        final long[] at;
        final boolean[] matches;
        final Map<Integer, AtomicLong> pendingByVersion = new ConcurrentHashMap<>();
        final AtomicReference<CountDownLatch> allSeen = new AtomicReference<>(new CountDownLatch(0));

        Seen(int watchers) {
            version = new int[watchers];
            at = new long[watchers];
            matches = new boolean[watchers];
            java.util.Arrays.fill(version, -1);
        }

        synchronized void record(int idx, int v, boolean match, long now) {
            matches[idx] = match;
            if (v > version[idx]) {
                version[idx] = v;
                at[idx] = now;
                if (match) {
                    AtomicLong pending = pendingByVersion.get(v);
                    if (pending != null && pending.decrementAndGet() == 0) {
                        allSeen.get().countDown();
                    }
                }
            }
        }
    }

    private void propagation(HttpJson api, String connect, List<CuratorFramework> all, int agents) throws Exception {
        int watchers = Math.min(intArg("watchers"), agents);
        boolean plain = args.get("watch-mode").equals("plain");
        List<CuratorFramework> sessions = sessions(connect, intArg("watch-sessions"), all);
        Seen seen = new Seen(watchers);
        List<AutoCloseable> closeables = new ArrayList<>();
        long t0 = System.nanoTime();
        CountDownLatch initialized = new CountDownLatch(watchers);
        String taskPath = layout.task("nginx");
        for (int w = 0; w < watchers; w++) {
            int idx = w;
            String host = host(w);
            CuratorFramework session = sessions.get(w % sessions.size());
            if (plain) {
                // one persistent recursive watch per simulated agent; each reads the changed node itself
                org.apache.zookeeper.ZooKeeper zk = session.getZookeeperClient().getZooKeeper();
                boolean match = host.startsWith("web-"); // the benchmark's selector is hostnames [web-*]
                org.apache.zookeeper.AsyncCallback.DataCallback onData = (rc, path, ctx, data, stat) -> {
                    long now = System.nanoTime();
                    if (rc == 0) {
                        seen.record(idx, stat.getVersion(), match, now);
                    }
                };
                org.apache.zookeeper.Watcher watcher = event -> {
                    if (taskPath.equals(event.getPath())
                            && event.getType() != org.apache.zookeeper.Watcher.Event.EventType.NodeDeleted) {
                        zk.getData(taskPath, false, onData, null);
                    }
                };
                zk.addWatch(layout.tasks(), watcher, org.apache.zookeeper.AddWatchMode.PERSISTENT_RECURSIVE);
                org.apache.zookeeper.data.Stat stat = zk.exists(taskPath, false);
                seen.record(idx, stat.getVersion(), match, System.nanoTime());
                initialized.countDown();
                continue;
            }
            TaskDirectory d = new TaskDirectory(session, layout);
            boolean[] first = {true};
            d.addListener(tasks -> {
                long now = System.nanoTime();
                if (first[0]) {
                    first[0] = false;
                    initialized.countDown();
                }
                VersionedTask t = tasks.get("nginx");
                if (t != null) {
                    seen.record(idx, t.version(), t.spec().hosts().matches(host, Map.of()), now);
                }
            });
            closeables.add(d.start());
        }
        if (!initialized.await(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("watchers did not initialize");
        }
        System.out.printf("%d %s watchers over %d sessions loaded the tasks in %.1f s%n", watchers,
                plain ? "plain ZooKeeper" : "TaskDirectory", sessions.size(), (System.nanoTime() - t0) / 1e9);
        int matching = 0;
        for (int w = 0; w < watchers; w++) {
            if (host(w).startsWith("web-")) {
                matching++;
            }
        }
        Histogram measured = new Histogram(600_000_000_000L, 3);
        List<String> perChange = new ArrayList<>();
        int changes = intArg("changes");
        int warmup = intArg("warmup-changes");
        int version = api.get("/api/v1/tasks/nginx").json().path("version").asInt();
        for (int c = 0; c < warmup + changes; c++) {
            int next = version + 1;
            seen.pendingByVersion.put(next, new AtomicLong(matching));
            CountDownLatch latch = new CountDownLatch(1);
            seen.allSeen.set(latch);
            String body = "{\"paths\":[\"/var/log/nginx/v" + next + "/*.log\"],\"hosts\":{\"hostnames\":[\"web-*\"]}}";
            long start = System.nanoTime();
            HttpJson.Answer a = api.put("/api/v1/tasks/nginx", body, "\"" + version + "\"");
            long answered = System.nanoTime();
            if (a.status() != 200) {
                throw new IllegalStateException(a.status() + " " + a.text());
            }
            boolean complete = latch.await(2, TimeUnit.MINUTES);
            Histogram h = new Histogram(600_000_000_000L, 3);
            int reached = 0;
            synchronized (seen) {
                for (int w = 0; w < watchers; w++) {
                    if (seen.matches[w] && seen.version[w] >= next) {
                        h.recordValue(Math.max(0, seen.at[w] - start));
                        reached++;
                    }
                }
            }
            if (c >= warmup) {
                measured.add(h);
            }
            perChange.add(String.format(Locale.ROOT, "| %d%s | %.1f | %d/%d | %.0f | %.0f | %.0f |%s", next, c < warmup ? " (warm-up)" : "",
                    (answered - start) / 1e6, reached, matching, h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6,
                    h.getMaxValue() / 1e6, complete ? "" : " (incomplete)"));
            version = next;
            TimeUnit.SECONDS.sleep(2); // let the cluster settle between changes (benchmark main, not a test)
        }
        System.out.printf("task change -> matching agents' %s (%d matching of %d watchers), ms from the PUT:%n",
                plain ? "plain ZooKeeper watch + read" : "TaskDirectory", matching, watchers);
        System.out.println("| version | PUT answered | agents reached | p50 | p99 | max (last agent) |");
        System.out.println("|---|---|---|---|---|---|");
        perChange.forEach(System.out::println);
        System.out.printf(Locale.ROOT, "measured changes (after warm-up): p50 %.0f ms, p99 %.0f ms, max %.0f ms over %d deliveries%n",
                measured.getValueAtPercentile(50) / 1e6, measured.getValueAtPercentile(99) / 1e6, measured.getMaxValue() / 1e6,
                measured.getTotalCount());
        for (AutoCloseable d : closeables) {
            d.close();
        }
    }
}
