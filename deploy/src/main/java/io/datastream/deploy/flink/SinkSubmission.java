package io.datastream.deploy.flink;

import io.datastream.sink.config.ConfigException;
import io.datastream.sink.config.SinkConfig;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code ds sink --submit URL}: the sink job on a Flink session cluster. The config is checked
 * here first (every problem with its key), then the job jar is uploaded to the JobManager
 * ({@code POST /jars/upload}) and run ({@code POST /jars/{id}/run}, entry class
 * {@code io.datastream.sink.SinkJob}, program arguments {@code --config-yaml <the file's text>},
 * since {@code main} runs on the JobManager, which may not have the file), optionally from a
 * savepoint; the uploaded jar is deleted once the job is submitted (the job keeps its copy in
 * the cluster's blob store). Prints the job id.
 */
public final class SinkSubmission {
    /** Where the distribution keeps the job jar, relative to its home ({@code lib/} holds the launcher). */
    public static final String JOB_JAR = "flink/ds-flink-sink-job.jar";

    private SinkSubmission() {
    }

    /** Submits; returns the process exit code (0, 1 on a cluster error, 2 on a bad argument or config). */
    public static int submit(String address, Path config, Path jobJar, String savepoint, Integer parallelism) {
        String yaml;
        try {
            yaml = config == null ? "" : Files.readString(config, StandardCharsets.UTF_8);
            SinkConfig.parse(yaml);
        } catch (IOException e) {
            System.err.println("sink: cannot read " + config + ": " + e.getMessage());
            return 2;
        } catch (ConfigException e) {
            System.err.println("sink: " + (config == null ? "" : config + ": ") + e.getMessage());
            return 2;
        }
        Path jar = jobJar != null ? jobJar : defaultJobJar();
        if (jar == null || !Files.isRegularFile(jar)) {
            System.err.println("sink: no job jar " + (jar == null ? JOB_JAR : jar) + ": give it with --job-jar");
            return 2;
        }
        FlinkRest rest;
        try {
            rest = new FlinkRest(address, Duration.ofSeconds(30));
        } catch (IllegalArgumentException e) {
            System.err.println("sink: " + e.getMessage());
            return 2;
        }
        try {
            String jarId = rest.upload(jar);
            String job;
            try {
                job = rest.run(jarId, FlinkRest.SINK_ENTRY_CLASS, List.of("--config-yaml", yaml), savepoint, parallelism);
            } finally {
                deleteQuietly(rest, jarId);
            }
            System.out.println("sink job " + job + " submitted to " + rest.address()
                    + (savepoint == null ? "" : " from " + savepoint));
            return 0;
        } catch (IOException e) {
            System.err.println("sink: submitting to " + rest.address() + " failed: " + e.getMessage());
            return 1;
        }
    }

    private static void deleteQuietly(FlinkRest rest, String jarId) {
        try {
            rest.deleteJar(jarId);
        } catch (IOException e) {
            System.err.println("sink: could not delete the uploaded jar " + jarId + " (" + e.getMessage() + ")");
        }
    }

    /**
     * {@code <ds.home>/flink/ds-flink-sink-job.jar} in the distribution; next to {@code lib/} of
     * the jar this class was loaded from otherwise (the repository's {@code ./ds}); null if neither is known.
     */
    static Path defaultJobJar() {
        String home = System.getProperty("ds.home");
        if (home != null) {
            return Path.of(home).resolve(JOB_JAR);
        }
        try {
            Path self = Path.of(SinkSubmission.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path lib = self.getParent();
            return lib == null || lib.getParent() == null ? null : lib.getParent().resolve(JOB_JAR);
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            return null;
        }
    }
}
