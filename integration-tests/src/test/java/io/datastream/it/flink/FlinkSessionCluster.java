package io.datastream.it.flink;

import static org.awaitility.Awaitility.await;

import io.datastream.deploy.flink.FlinkRest;
import io.datastream.it.support.JvmFlags;
import io.datastream.it.support.JvmProcess;
import io.datastream.testkit.net.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Flink 2.2 standalone session cluster as Flink's scripts start it, without the distribution
 * tarball: a JobManager ({@code StandaloneSessionClusterEntrypoint}) and TaskManagers
 * ({@code TaskManagerRunner}), each a separate JVM on the class path Maven wrote to
 * {@code target/flink-cluster/classpath} (Flink's artifacts from Maven Central: flink-runtime,
 * flink-runtime-web for the REST jar handlers, flink-clients, flink-streaming-java,
 * flink-connector-files, flink-hadoop-fs, log4j; none of Datastream's classes, no Kafka: the
 * job jar brings those), plus the Hadoop client if given. As {@code jobmanager.sh}/{@code taskmanager.sh} do, the JVM memory options and the
 * TaskManager's derived memory settings come from Flink's {@code BashJavaUtils} for the
 * {@code config.yaml} written here. Everything binds to 127.0.0.1 on free ports.
 */
public final class FlinkSessionCluster implements AutoCloseable {
    private static final String JM_MAIN = "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    private static final String TM_MAIN = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
    private static final String BASH_JAVA_UTILS = "org.apache.flink.runtime.util.bash.BashJavaUtils";
    private static final String RESULT = "BASH_JAVA_UTILS_EXEC_RESULT:";
    /**
     * What Flink's distribution sets as {@code env.java.opts.all} in its {@code conf/config.yaml}
     * for Java 17 (Flink's scripts add it to every JVM): without it the JobManager cannot even
     * build the job's graph ({@code InaccessibleObjectException} on java.util).
     */
    static final String JAVA17_OPTS = "--add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED"
            + " --add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED"
            + " --add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED --add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED"
            + " --add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED"
            + " --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED"
            + " --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED"
            + " --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.text=ALL-UNNAMED"
            + " --add-opens=java.base/java.time=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED"
            + " --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED"
            + " --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED";

    private final Path dir;
    private final Path conf;
    private final String classpath;
    private final int restPort;
    private final List<String> jobManagerCommand;
    private JvmProcess jobManager;
    private final List<JvmProcess> taskManagers = new ArrayList<>();
    private final FlinkRest rest;
    private int taskManagerCount;

    private FlinkSessionCluster(Path dir, Map<String, String> settings, String hadoopClasspath) throws IOException {
        this.dir = dir;
        this.classpath = readClasspath() + (hadoopClasspath == null ? "" : java.io.File.pathSeparator + hadoopClasspath);
        this.conf = Files.createDirectories(dir.resolve("conf"));
        this.restPort = FreePorts.next();
        Map<String, String> c = new LinkedHashMap<>();
        c.put("env.java.opts.all", JAVA17_OPTS);
        c.put("jobmanager.rpc.address", "127.0.0.1");
        c.put("jobmanager.rpc.port", String.valueOf(FreePorts.next()));
        c.put("jobmanager.bind-host", "127.0.0.1");
        c.put("jobmanager.memory.process.size", "768m");
        c.put("taskmanager.bind-host", "127.0.0.1");
        c.put("taskmanager.host", "127.0.0.1");
        c.put("taskmanager.memory.process.size", "1g");
        // the sink keeps its state on the heap (hashmap state backend): little managed memory
        c.put("taskmanager.memory.managed.fraction", "0.05");
        c.put("taskmanager.numberOfTaskSlots", "2");
        c.put("parallelism.default", "2");
        c.put("rest.address", "127.0.0.1");
        c.put("rest.bind-address", "127.0.0.1");
        c.put("rest.port", String.valueOf(restPort));
        c.put("blob.server.port", String.valueOf(FreePorts.next()));
        c.put("io.tmp.dirs", dir.resolve("tmp").toString());
        c.put("web.tmpdir", dir.resolve("web").toString());
        c.put("web.upload.dir", dir.resolve("upload").toString());
        c.putAll(settings);
        StringBuilder yaml = new StringBuilder("# written by FlinkSessionCluster (integration-tests)\n");
        c.forEach((k, v) -> yaml.append(k).append(": ").append(v).append('\n'));
        Files.writeString(conf.resolve("config.yaml"), yaml.toString(), StandardCharsets.UTF_8);
        Files.writeString(conf.resolve("log4j.properties"), LOG4J, StandardCharsets.UTF_8);
        for (String d : List.of("tmp", "web", "upload", "log")) {
            Files.createDirectories(dir.resolve(d));
        }
        jobManagerCommand = jvm("jobmanager", bashJavaUtils("GET_JM_RESOURCE_PARAMS"), JM_MAIN);
        jobManager = JvmProcess.start("jobmanager", jobManagerCommand, dir.resolve("log/jobmanager.out"));
        rest = new FlinkRest("http://127.0.0.1:" + restPort, Duration.ofSeconds(30));
    }

    /**
     * Writes {@code <dir>/conf/config.yaml} with {@code settings} over the defaults above, starts
     * the JobManager and waits until its REST API answers. {@code hadoopClasspath} (or null) is
     * appended to every process's class path, as Flink's scripts append {@code HADOOP_CLASSPATH}.
     */
    public static FlinkSessionCluster startJobManager(Path dir, Map<String, String> settings, String hadoopClasspath) throws IOException {
        FlinkSessionCluster c = new FlinkSessionCluster(dir, settings, hadoopClasspath);
        try {
            c.awaitJobManager();
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** kill -9 of the JobManager; the TaskManagers keep running. */
    public synchronized void killJobManager() {
        jobManager.kill();
    }

    /**
     * Starts the JobManager again with the same command (configuration, ports) after
     * {@link #killJobManager()}, as a supervisor would, and waits until its REST API answers.
     */
    public void restartJobManager() {
        synchronized (this) {
            if (jobManager.isAlive()) {
                throw new IllegalStateException("the JobManager is running");
            }
            jobManager = JvmProcess.start("jobmanager", jobManagerCommand, dir.resolve("log/jobmanager.out"));
        }
        awaitJobManager();
    }

    private void awaitJobManager() {
        await("the JobManager's REST API").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> {
                    JvmProcess jm = jobManager();
                    if (!jm.isAlive()) {
                        throw new IllegalStateException("the JobManager exited:\n" + jm.tail());
                    }
                    return rest.taskManagers() >= 0;
                });
    }

    /** Starts one more TaskManager ({@code taskmanager.resource-id} tm-1, tm-2, ...); does not wait for it. */
    public synchronized JvmProcess startTaskManager() {
        String id = "tm-" + (++taskManagerCount);
        List<String> dynamic = new ArrayList<>(List.of("-D", "taskmanager.resource-id=" + id));
        List<String> cmd = jvm("taskmanager-" + id, bashJavaUtils("GET_TM_RESOURCE_PARAMS"), TM_MAIN);
        cmd.addAll(dynamic);
        JvmProcess tm = JvmProcess.start(id, cmd, dir.resolve("log/taskmanager-" + id + ".out"));
        taskManagers.add(tm);
        return tm;
    }

    /** Waits until {@code n} TaskManagers are registered with the JobManager. */
    public void awaitTaskManagers(int n) {
        await(n + " TaskManagers registered").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> rest.taskManagers() == n);
    }

    /** The JobManager's REST address, {@code http://127.0.0.1:<port>}. */
    public String restAddress() {
        return "http://127.0.0.1:" + restPort;
    }

    public FlinkRest rest() {
        return rest;
    }

    /** The TaskManagers started so far, in order (killed ones included). */
    public synchronized List<JvmProcess> taskManagers() {
        return List.copyOf(taskManagers);
    }

    public synchronized JvmProcess jobManager() {
        return jobManager;
    }

    /** The consoles and log tails of every process, for a failure report. */
    public synchronized String logs() {
        StringBuilder sb = new StringBuilder();
        sb.append("---- jobmanager ----\n").append(tail(dir.resolve("log/jobmanager.log"))).append(jobManager.tail());
        for (JvmProcess tm : taskManagers) {
            sb.append("\n---- ").append(tm.name()).append(" ----\n")
                    .append(tail(dir.resolve("log/taskmanager-" + tm.name() + ".log"))).append(tm.tail());
        }
        return sb.toString();
    }

    /**
     * The JVM command of a Flink process, as {@code flink-daemon.sh} builds it: the memory options
     * {@code BashJavaUtils} derived, the log4j configuration and log file, the class path, the
     * entry point with {@code --configDir} and the derived dynamic properties ({@code -D k=v}).
     */
    private List<String> jvm(String logName, List<String> derived, String main) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(Arrays.asList(derived.get(0).trim().split("\\s+")));
        cmd.addAll(Arrays.asList(JAVA17_OPTS.split(" ")));
        cmd.addAll(JvmFlags.forProcesses());
        cmd.addAll(List.of("-Djava.io.tmpdir=" + dir.resolve("tmp"),
                "-Dlog.file=" + dir.resolve("log/" + logName + ".log"),
                "-Dlog4j.configurationFile=file:" + conf.resolve("log4j.properties"),
                "-cp", classpath, main, "--configDir", conf.toString()));
        if (derived.size() > 1 && !derived.get(1).isBlank()) {
            cmd.addAll(Arrays.asList(derived.get(1).trim().split("\\s+")));
        }
        return cmd;
    }

    /** Runs {@code BashJavaUtils <command> --configDir conf} and returns its result lines (JVM options, dynamic properties). */
    private List<String> bashJavaUtils(String command) {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", classpath, BASH_JAVA_UTILS, command, "--configDir", conf.toString());
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("BashJavaUtils " + command + " failed:\n" + out);
            }
            List<String> results = out.lines().filter(l -> l.startsWith(RESULT)).map(l -> l.substring(RESULT.length())).toList();
            if (results.isEmpty()) {
                throw new IllegalStateException("BashJavaUtils " + command + " printed no result:\n" + out);
            }
            return results;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String readClasspath() throws IOException {
        String d = System.getProperty("ds.flink.cluster.dir");
        if (d == null) {
            throw new IllegalStateException("ds.flink.cluster.dir is not set: run this test through Maven (failsafe), "
                    + "which writes the Flink class path to target/flink-cluster/classpath");
        }
        return Files.readString(Path.of(d, "classpath"), StandardCharsets.UTF_8).trim();
    }

    /** The sink job jar Maven copied next to the class path: {@code target/flink-cluster/ds-flink-sink-job.jar}. */
    public static Path sinkJobJar() {
        return Path.of(System.getProperty("ds.flink.cluster.dir"), "ds-flink-sink-job.jar");
    }

    private static String tail(Path log) {
        try {
            if (!Files.exists(log)) {
                return "";
            }
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())) + "\n";
        } catch (IOException e) {
            return "(" + log + " unreadable: " + e + ")\n";
        }
    }

    @Override
    public synchronized void close() {
        List<JvmProcess> all = new ArrayList<>(taskManagers);
        Collections.reverse(all);
        all.add(jobManager);
        for (JvmProcess p : all) {
            p.close();
        }
    }

    private static final String LOG4J = """
            # Flink's processes log to ${sys:log.file}, as with Flink's conf/log4j.properties
            monitorInterval = 0
            rootLogger.level = INFO
            rootLogger.appenderRef.file.ref = MainAppender
            logger.kafka.name = org.apache.kafka
            logger.kafka.level = WARN
            logger.pekko.name = org.apache.pekko
            logger.pekko.level = WARN
            logger.shaded_zookeeper.name = org.apache.flink.shaded.zookeeper3
            logger.shaded_zookeeper.level = WARN
            appender.main.name = MainAppender
            appender.main.type = File
            appender.main.fileName = ${sys:log.file}
            appender.main.layout.type = PatternLayout
            appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
            """;
}
