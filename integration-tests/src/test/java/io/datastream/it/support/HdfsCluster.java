package io.datastream.it.support;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.datastream.testkit.net.FreePorts;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * HDFS as it runs on real hosts: a NameNode ({@code org.apache.hadoop.hdfs.server.namenode.NameNode})
 * and DataNodes ({@code ...datanode.DataNode}), each its own JVM started from Hadoop's own classes
 * (the class path ds-flink-sink writes, see {@link MiniHdfs#hadoopClasspath()}) with its own
 * configuration directory ({@code hdfs-site.xml}, {@code core-site.xml}) first on its class path,
 * as {@code hdfs --daemon start namenode} does with {@code HADOOP_CONF_DIR}. The NameNode is
 * formatted once; a DataNode can be killed (kill -9) or stopped and started again, the NameNode
 * killed and started again, on the same ports and directories. Replication is the number of
 * DataNodes. Clients get {@link #clientClasspath()}: a configuration directory with
 * {@code dfs.replication} and the Hadoop jars, as {@code HADOOP_CLASSPATH=$(hadoop classpath)}
 * puts {@code etc/hadoop} in front of them. This JVM reads HDFS through WebHDFS.
 */
public final class HdfsCluster implements AutoCloseable {
    private static final String NAME_NODE = "org.apache.hadoop.hdfs.server.namenode.NameNode";
    private static final String DATA_NODE = "org.apache.hadoop.hdfs.server.datanode.DataNode";

    private final Path dir;
    private final String jars;
    private final int nameNodePort = FreePorts.next();
    private final int nameNodeHttp = FreePorts.next();
    private final int dataNodes;
    private final WebHdfs web;
    private JvmProcess nameNode;
    private final JvmProcess[] dataNode;

    private HdfsCluster(Path dir, int dataNodes) throws IOException {
        this.dir = dir;
        this.dataNodes = dataNodes;
        this.jars = MiniHdfs.hadoopClasspath();
        this.web = new WebHdfs(nameNodeHttp);
        this.dataNode = new JvmProcess[dataNodes];
        Map<String, String> common = new LinkedHashMap<>();
        common.put("dfs.replication", String.valueOf(dataNodes));
        common.put("dfs.permissions.enabled", "false");
        common.put("dfs.heartbeat.interval", "1");
        // a dead DataNode is declared dead after 2 x recheck + 10 x heartbeat = 20 s (default 10.5 min)
        common.put("dfs.namenode.heartbeat.recheck-interval", "5000");
        common.put("dfs.namenode.safemode.extension", "0");
        common.put("dfs.namenode.datanode.registration.ip-hostname-check", "false");
        writeConf("client", Map.of("dfs.replication", String.valueOf(dataNodes)));
        Map<String, String> nn = new LinkedHashMap<>(common);
        nn.put("dfs.namenode.name.dir", dir.resolve("name").toUri().toString());
        nn.put("dfs.namenode.rpc-address", "localhost:" + nameNodePort);
        nn.put("dfs.namenode.http-address", "localhost:" + nameNodeHttp);
        writeConf("namenode", nn);
        for (int i = 0; i < dataNodes; i++) {
            Map<String, String> dn = new LinkedHashMap<>(common);
            dn.put("dfs.datanode.data.dir", dir.resolve("data-" + (i + 1)).toUri().toString());
            dn.put("dfs.datanode.address", "127.0.0.1:" + FreePorts.next());
            dn.put("dfs.datanode.http.address", "127.0.0.1:" + FreePorts.next());
            dn.put("dfs.datanode.ipc.address", "127.0.0.1:" + FreePorts.next());
            writeConf("datanode-" + (i + 1), dn);
        }
    }

    /** Formats the NameNode, starts it and {@code dataNodes} DataNodes, and waits until all are live and safe mode is off. */
    public static HdfsCluster start(Path dir, int dataNodes) throws IOException {
        HdfsCluster c = new HdfsCluster(dir, dataNodes);
        try {
            c.format();
            c.startNameNode();
            for (int i = 1; i <= dataNodes; i++) {
                c.startDataNode(i);
            }
            c.awaitLiveDataNodes(dataNodes);
            c.awaitOutOfSafeMode();
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** {@code hdfs://localhost:<port>} */
    public String uri() {
        return "hdfs://localhost:" + nameNodePort;
    }

    /** The client's class path: a configuration directory ({@code dfs.replication}) and the Hadoop jars. */
    public String clientClasspath() {
        return dir.resolve("conf/client") + File.pathSeparator + jars;
    }

    public WebHdfs web() {
        return web;
    }

    /** The committed lines of the sink's output under {@code path} (see {@link WebHdfs#committedLines}). */
    public List<String> committedLines(String path, Path mirror) throws IOException {
        return web.committedLines(path, mirror);
    }

    public List<String> list(String path) throws IOException {
        return web.list(path);
    }

    /** Starts the NameNode (again) on its ports and name directory; does not wait. */
    public synchronized void startNameNode() {
        if (nameNode != null && nameNode.isAlive()) {
            throw new IllegalStateException("the NameNode is running");
        }
        nameNode = JvmProcess.start("namenode", command("namenode", NAME_NODE, List.of()), dir.resolve("namenode.out"));
    }

    /** kill -9 of the NameNode. */
    public synchronized void killNameNode() {
        nameNode.kill();
    }

    /** Starts DataNode {@code n} (1-based) again on its ports and data directory; does not wait. */
    public synchronized void startDataNode(int n) {
        if (dataNode[n - 1] != null && dataNode[n - 1].isAlive()) {
            throw new IllegalStateException("DataNode " + n + " is running");
        }
        dataNode[n - 1] = JvmProcess.start("datanode-" + n, command("datanode-" + n, DATA_NODE, List.of()),
                dir.resolve("datanode-" + n + ".out"));
    }

    /** kill -9 of DataNode {@code n}. */
    public synchronized void killDataNode(int n) {
        dataNode[n - 1].kill();
    }

    /** The NameNode's {@code FSNamesystemState} bean (JMX over HTTP): {@code NumLiveDataNodes}, {@code FSState}, ... */
    public JsonNode state() throws IOException {
        JsonNode beans = web.jmx("Hadoop:service=NameNode,name=FSNamesystemState").path("beans");
        if (!beans.isArray() || beans.isEmpty()) {
            throw new IOException("no FSNamesystemState bean yet");
        }
        return beans.get(0);
    }

    /** Waits until the NameNode counts {@code n} live DataNodes. */
    public void awaitLiveDataNodes(int n) {
        awaitUp(n + " live DataNodes", () -> state().path("NumLiveDataNodes").asInt() == n);
    }

    /** Waits until the NameNode counts {@code n} dead DataNodes (a killed one is declared dead after about 20 s). */
    public void awaitDeadDataNodes(int n) {
        awaitUp(n + " dead DataNodes", () -> state().path("NumDeadDataNodes").asInt() == n);
    }

    /** Waits until the NameNode is out of safe mode ({@code FSState} {@code Operational}). */
    public void awaitOutOfSafeMode() {
        awaitUp("the NameNode out of safe mode", () -> "Operational".equals(state().path("FSState").asText()));
    }

    private void awaitUp(String what, java.util.concurrent.Callable<Boolean> condition) {
        await(what).atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250)).ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> {
                    JvmProcess nn = nameNodeProcess();
                    if (!nn.isAlive()) {
                        throw new IllegalStateException("the NameNode exited:\n" + nn.tail());
                    }
                    return condition.call();
                });
    }

    private synchronized JvmProcess nameNodeProcess() {
        return nameNode;
    }

    /** The consoles of every process, for a failure report. */
    public synchronized String logs() {
        StringBuilder sb = new StringBuilder("---- namenode ----\n").append(nameNode == null ? "" : nameNode.tail());
        for (int i = 0; i < dataNodes; i++) {
            if (dataNode[i] != null) {
                sb.append("\n---- datanode-").append(i + 1).append(" ----\n").append(dataNode[i].tail());
            }
        }
        return sb.toString();
    }

    private void format() {
        List<String> cmd = command("namenode", NAME_NODE, List.of("-format", "-force", "-nonInteractive"));
        try {
            Path console = dir.resolve("format.out");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(console.toFile()).start();
            if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("formatting the NameNode failed:\n" + Files.readString(console));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private List<String> command(String conf, String main, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx192m"));
        cmd.addAll(JvmFlags.forProcesses());
        cmd.addAll(List.of("--add-opens=java.base/java.lang=ALL-UNNAMED", // WebHDFS (Jersey 1) on Java 17
                "-Djava.io.tmpdir=" + dir.resolve("tmp"),
                "-cp", dir.resolve("conf").resolve(conf) + File.pathSeparator + jars, main));
        cmd.addAll(args);
        return cmd;
    }

    private void writeConf(String name, Map<String, String> hdfsSite) throws IOException {
        Path d = Files.createDirectories(dir.resolve("conf").resolve(name));
        Files.createDirectories(dir.resolve("tmp"));
        Files.writeString(d.resolve("hdfs-site.xml"), xml(hdfsSite), StandardCharsets.UTF_8);
        Files.writeString(d.resolve("core-site.xml"), xml(Map.of("fs.defaultFS", uri(),
                "hadoop.tmp.dir", dir.resolve("tmp").toString())), StandardCharsets.UTF_8);
    }

    private static String xml(Map<String, String> props) {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\"?>\n<!-- written by HdfsCluster (integration-tests) -->\n<configuration>\n");
        props.forEach((k, v) -> sb.append("  <property><name>").append(k).append("</name><value>").append(v).append("</value></property>\n"));
        return sb.append("</configuration>\n").toString();
    }

    /** Stops the DataNodes, then the NameNode (SIGTERM). */
    @Override
    public synchronized void close() {
        for (int i = dataNodes - 1; i >= 0; i--) {
            if (dataNode[i] != null) {
                dataNode[i].close();
            }
        }
        if (nameNode != null) {
            nameNode.close();
        }
    }

    @Override
    public String toString() {
        return "HDFS at " + uri() + " with " + dataNodes + " DataNodes";
    }
}
