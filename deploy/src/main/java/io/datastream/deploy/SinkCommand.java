package io.datastream.deploy;

import io.datastream.deploy.flink.RetainedCheckpoints;
import io.datastream.deploy.flink.SinkSubmission;
import io.datastream.deploy.sinkmetrics.SinkCounters;
import io.datastream.deploy.sinkmetrics.SinkMetricsReporter;
import io.datastream.deploy.sinkmetrics.SinkRegistration;
import io.datastream.deploy.sinkmetrics.SinkReporting;
import io.datastream.deploy.standalone.FlinkRestore;
import io.datastream.protocol.report.ReportSettings;
import io.datastream.sink.SinkJob;
import io.datastream.sink.config.SinkConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ds sink}: runs the Flink sink job on a local MiniCluster in this process. With a
 * {@code job.checkpointDir} (local, or {@code hdfs://} and any other Flink file system on the class
 * path) it survives its own crashes: it resumes from the newest retained checkpoint or savepoint
 * found there (Kafka offsets and de-duplication state), deletes what earlier runs left beyond
 * {@code --retain}, and SIGTERM stops it with a savepoint in {@code <checkpointDir>/savepoints}.
 * With {@code --submit URL} it runs nothing itself: it uploads the job jar to that Flink cluster's
 * JobManager through its REST API and runs it there with this config ({@link SinkSubmission}).
 */
@Command(name = "sink", mixinStandardHelpOptions = true,
        description = {"Runs the Flink sink job (Kafka -> exactly-once files) on a local MiniCluster in this process.",
            "With a job.checkpointDir it resumes from the newest checkpoint or savepoint there and stops with a savepoint.",
            "With --submit http://jobmanager:8081 it submits the job to that Flink cluster instead and exits."})
public final class SinkCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Sink YAML config (docs/sink.md); without it every key has its default.")
    Path config;

    @Option(names = "--parallelism", paramLabel = "N",
            description = "Local parallelism (default: 1); with --submit the job's default parallelism (default: the cluster's).")
    Integer parallelism;

    @Option(names = "--submit", paramLabel = "URL",
            description = "Submit the job to the Flink cluster whose JobManager REST API is at URL (http://jobmanager:8081) and exit.")
    String submit;

    @Option(names = "--job-jar", paramLabel = "JAR",
            description = "With --submit: the job jar to upload (default: flink/ds-flink-sink-job.jar of the distribution).")
    Path jobJar;

    @Option(names = "--metrics-host", paramLabel = "HOST", description = "Address the Prometheus metrics bind to (default: ${DEFAULT-VALUE}).")
    String metricsHost = "127.0.0.1";

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Prometheus metrics of the sink (ds_sink_*, per task) on HOST:PORT/metrics; 0 = off (default: ${DEFAULT-VALUE}).")
    int metricsPort = 7300;

    @Option(names = "--zookeeper", paramLabel = "HOST:PORT",
            description = "Publish the per-task counts in this ZooKeeper ({root}/sinks/{id}), so ds ctl task get shows them; none by default.")
    String zookeeper;

    @Option(names = "--zookeeper-root", paramLabel = "PATH", description = "Root of the Datastream nodes (default: ${DEFAULT-VALUE}).")
    String zookeeperRoot = "/datastream";

    @Option(names = "--zookeeper-auth-file", paramLabel = "FILE",
            description = "A file holding this sink's ZooKeeper digest credential user:password (docs/security.md); none by default.")
    String zookeeperAuthFile;

    @Option(names = "--zookeeper-auth-env", paramLabel = "VAR",
            description = "An environment variable holding it, instead of --zookeeper-auth-file.")
    String zookeeperAuthEnv;

    @Option(names = "--id", paramLabel = "ID", description = "This sink's id in ZooKeeper and in its reports to control (default: sink-<hostname>).")
    String id;

    @Option(names = "--retain", paramLabel = "N",
            description = "Keep the N newest checkpoint directories of earlier runs and N savepoints in job.checkpointDir (local or hdfs://...); older ones are deleted at start (default: ${DEFAULT-VALUE}).")
    int retain = FlinkRestore.DEFAULT_RETAINED;

    @Option(names = "--from-savepoint", paramLabel = "PATH",
            description = "Resume from this checkpoint or savepoint (any Flink file system) instead of the newest one in job.checkpointDir;"
                    + " with --submit the one the submitted job starts from (a path the cluster can read).")
    String fromSavepoint;

    @Option(names = "--control-url", paramLabel = "URL",
            description = "Push the per-minute, per-task counts (lines committed, duplicates, dead letters) to this ds-control (http://host:7400); none by default.")
    String controlUrl;

    @Option(names = "--report-token-file", paramLabel = "FILE", description = "File holding a control token with the write role, for --control-url.")
    Path reportTokenFile;

    @Option(names = "--report-interval", paramLabel = "MS", description = "How often counts are pushed to --control-url (default: ${DEFAULT-VALUE}).")
    long reportMillis = 60_000;

    @Override
    public Integer call() throws Exception {
        if (submit != null) {
            if (zookeeper != null || controlUrl != null) {
                System.err.println("sink: --zookeeper and --control-url publish the counts of a local MiniCluster; they do not apply with --submit");
                return 2;
            }
            return SinkSubmission.submit(submit, config, jobJar, fromSavepoint, parallelism);
        }
        io.datastream.registry.acl.ZkCredentials zkCredentials;
        try {
            zkCredentials = io.datastream.registry.acl.ZkCredentials.from(zookeeperAuthFile, zookeeperAuthEnv);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--zookeeper-auth-file/--zookeeper-auth-env: " + e.getMessage());
        }
        SinkReporting reporting = null;
        if (controlUrl != null) {
            String error = ReportSettings.checkUrl(controlUrl);
            if (error != null) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--control-url: " + error);
            }
            if (reportMillis < 100 || reportMillis > 3_600_000) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--report-interval: must be in [100, 3600000], was " + reportMillis);
            }
            String token = reportTokenFile == null ? "" : java.nio.file.Files.readString(reportTokenFile).strip();
            // installed before the job starts: its operators count into it
            reporting = SinkReporting.start(ReportSettings.to(controlUrl).withToken(token).withIntervalMs(reportMillis),
                    id != null ? id : "sink-" + java.net.InetAddress.getLocalHost().getHostName());
        }
        SinkConfig cfg = config == null ? SinkConfig.defaults() : SinkConfig.load(config);
        Path stateDir = localDir(cfg.job().checkpointDir());
        // another file system (hdfs://...): Flink's file system API, with the Hadoop client on the class path
        String remoteDir = stateDir == null ? cfg.job().checkpointDir() : null;
        String savepointDir = stateDir != null ? stateDir.resolve("savepoints").toUri().toString()
                : remoteDir != null ? remoteDir.replaceAll("/+$", "") + "/savepoints" : null;
        Configuration conf = new Configuration();
        SinkMetricsReporter.configure(conf, metricsHost, metricsPort);
        String restore = fromSavepoint;
        if (restore == null && stateDir != null) {
            Optional<Path> latest = FlinkRestore.latest(stateDir);
            restore = latest.map(p -> p.toUri().toString()).orElse(null);
        } else if (restore == null && remoteDir != null) {
            restore = RetainedCheckpoints.latest(remoteDir, savepointDir).orElse(null);
        }
        if (restore != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restore);
            System.out.println("sink resuming from " + restore);
        }
        if (stateDir != null) {
            Path keep = restore == null || !restore.startsWith("file:") ? null : Path.of(URI.create(restore));
            int pruned = FlinkRestore.prune(keep, Math.max(1, retain), stateDir, stateDir.resolve("savepoints"));
            if (pruned > 0) {
                System.out.println("sink deleted " + pruned + " checkpoint or savepoint directories of earlier runs (--retain " + retain + ")");
            }
        } else if (remoteDir != null) {
            int pruned = RetainedCheckpoints.prune(restore, Math.max(1, retain), remoteDir, savepointDir);
            if (pruned > 0) {
                System.out.println("sink deleted " + pruned + " checkpoint or savepoint directories of earlier runs (--retain " + retain + ")");
            }
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism == null ? 1 : parallelism, conf);
        SinkJob.configureEnvironment(env, cfg);
        SinkJob.define(env, cfg);
        JobClient job = env.executeAsync(cfg.job().name());
        if (zookeeper != null) {
            SinkRegistration reg = SinkRegistration.start(id != null ? id : "sink-" + java.net.InetAddress.getLocalHost().getHostName(),
                    zookeeper, zookeeperRoot, zkCredentials, SinkCounters.JVM, java.time.Duration.ofSeconds(5));
            Runtime.getRuntime().addShutdownHook(new Thread(reg::close, "ds-sink-registration-close"));
        }
        System.out.println("sink job " + job.getJobID() + " running; output in " + cfg.output().path());
        SinkReporting reports = reporting;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop(job, savepointDir);
            if (reports != null) {
                reports.close(); // after the stop's savepoint committed, and counted, the last files
            }
        }, "ds-sink-shutdown"));
        job.getJobExecutionResult().get();
        return 0;
    }

    /** A savepoint commits the last files and is what the next start resumes from; cancel if it fails. */
    private static void stop(JobClient job, String savepointDir) {
        if (savepointDir != null) {
            try {
                String sp = job.stopWithSavepoint(false, savepointDir,
                        SavepointFormatType.CANONICAL).get(60, TimeUnit.SECONDS);
                System.out.println("sink stopped with savepoint " + sp);
                return;
            } catch (Exception e) {
                System.err.println("sink: no savepoint (" + e + "); cancelling, the next start resumes from the last checkpoint");
            }
        }
        try {
            job.cancel().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("sink: cancel failed: " + e);
        }
    }

    /** The local directory of a file: URI or plain path; null for other file systems or none. */
    static Path localDir(String checkpointDir) {
        if (checkpointDir == null) {
            return null;
        }
        URI uri = URI.create(checkpointDir);
        if (uri.getScheme() == null) {
            return Path.of(checkpointDir);
        }
        return "file".equals(uri.getScheme()) ? Path.of(uri) : null;
    }
}
