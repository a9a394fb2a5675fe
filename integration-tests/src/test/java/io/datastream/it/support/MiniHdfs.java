package io.datastream.it.support;

import static org.awaitility.Awaitility.await;

import io.datastream.testkit.net.FreePorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * HDFS as its own process: Hadoop's {@code MiniDFSClusterManager} (a NameNode and one DataNode,
 * replication 1, on free ports) on the class path ds-flink-sink writes
 * ({@code ds-flink-sink/target/hadoop/classpath}: the Hadoop client and hadoop-minicluster, which
 * cannot share this module's class path, see integration-tests/pom.xml). The same class path is
 * what the Flink and ds processes get as their Hadoop client ({@link #hadoopClasspath()}, as
 * {@code HADOOP_CLASSPATH} on a real host). This JVM reads HDFS through WebHDFS. For HDFS with
 * NameNode and DataNodes as processes of their own, see {@link HdfsCluster}.
 */
public final class MiniHdfs implements AutoCloseable {
    private final JvmProcess process;
    private final int nameNodePort;
    private final int httpPort;
    private final String classpath;
    private final WebHdfs web;

    private MiniHdfs(JvmProcess process, int nameNodePort, int httpPort, String classpath) {
        this.process = process;
        this.nameNodePort = nameNodePort;
        this.httpPort = httpPort;
        this.classpath = classpath;
        this.web = new WebHdfs(httpPort);
    }

    /** Starts HDFS with its data under {@code dir} and waits until it is up. */
    public static MiniHdfs start(Path dir) throws IOException {
        String cp = hadoopClasspath();
        int nn = FreePorts.next();
        int web = FreePorts.next();
        Path details = dir.resolve("details.json");
        Files.createDirectories(dir.resolve("tmp"));
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "--add-opens=java.base/java.lang=ALL-UNNAMED", // WebHDFS (Jersey 1) on Java 17
                "-Djava.io.tmpdir=" + dir.resolve("tmp"),
                "-cp", cp, "org.apache.hadoop.test.MiniDFSClusterManager",
                "-datanodes", "1", "-format", "-nnport", String.valueOf(nn), "-httpport", String.valueOf(web),
                "-D", "hdfs.minidfs.basedir=" + dir.resolve("data"), "-D", "dfs.replication=1",
                "-writeDetails", details.toString());
        MiniHdfs hdfs = new MiniHdfs(JvmProcess.start("hdfs", cmd, dir.resolve("hdfs.out")), nn, web, cp);
        try {
            await("HDFS up").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> {
                if (!hdfs.process.isAlive()) {
                    throw new IllegalStateException("HDFS exited:\n" + hdfs.process.tail());
                }
                return Files.exists(details);
            });
            return hdfs;
        } catch (RuntimeException e) {
            hdfs.close();
            throw e;
        }
    }

    /** The Hadoop client's class path (the file ds-flink-sink writes). */
    public static String hadoopClasspath() throws IOException {
        String file = System.getProperty("ds.hadoop.classpath.file");
        if (file == null || !Files.exists(Path.of(file))) {
            throw new IllegalStateException("no Hadoop class path file (ds.hadoop.classpath.file=" + file
                    + "): build ds-flink-sink first (mvn ... -pl integration-tests -am)");
        }
        return Files.readString(Path.of(file), StandardCharsets.UTF_8).trim();
    }

    /** {@code hdfs://localhost:<port>} */
    public String uri() {
        return "hdfs://localhost:" + nameNodePort;
    }

    public String classpath() {
        return classpath;
    }

    /** The entries of a directory (names), empty if it does not exist. */
    public List<String> list(String path) throws IOException {
        return web.list(path);
    }

    /** The committed lines of the sink's output under {@code path} (see {@link WebHdfs#committedLines}). */
    public List<String> committedLines(String path, Path mirror) throws IOException {
        return web.committedLines(path, mirror);
    }

    public JvmProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.close();
    }

    @Override
    public String toString() {
        return "HDFS at " + uri();
    }
}
