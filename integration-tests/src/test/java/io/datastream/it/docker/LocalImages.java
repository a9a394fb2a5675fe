package io.datastream.it.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.testcontainers.DockerClientFactory;

/**
 * The images the suite runs, {@code datastream/<name>:local}, built with
 * deploy/docker/build-images.sh --local-base (which builds the scratch + jlink base first when
 * needed) from deploy/target/dist of the repository at system property {@code ds.repo.root}.
 */
final class LocalImages {
    static final List<String> NAMES = List.of("zookeeper", "kafka", "control", "router", "agent", "sink", "haproxy");

    private LocalImages() {
    }

    static String image(String name) {
        return "datastream/" + name + ":local";
    }

    /**
     * Makes sure the images exist and hold the current code: when deploy/target/dist/lib exists
     * every image is (re)built from it (the layers of unchanged jars come from Docker's cache);
     * without it, images already present are used as they are. Returns the names it built.
     */
    static List<String> ensure(Path logDir) throws IOException, InterruptedException {
        DockerClient client = DockerClientFactory.instance().client();
        List<String> missing = new ArrayList<>();
        for (String name : NAMES) {
            try {
                client.inspectImageCmd(image(name)).exec();
            } catch (NotFoundException e) {
                missing.add(name);
            }
        }
        Path root = Path.of(System.getProperty("ds.repo.root", "..")).toAbsolutePath().normalize();
        Path script = root.resolve("deploy/docker/build-images.sh");
        boolean dist = Files.isDirectory(root.resolve("deploy/target/dist/lib"));
        if (!dist) {
            if (missing.isEmpty()) {
                System.out.println("[docker] " + root.resolve("deploy/target/dist") + " is missing: using the images as they are");
                return List.of();
            }
            throw new IllegalStateException("images " + missing + " are missing and there is no deploy/target/dist to build them"
                    + " from: run 'mvn -B -ntp package -DskipTests -pl deploy -am' (ds.repo.root=" + root + ")");
        }
        if (!Files.isExecutable(script)) {
            throw new IllegalStateException(script + " is not there (ds.repo.root=" + root + ")");
        }
        Files.createDirectories(logDir);
        File log = logDir.resolve("build-images.log").toFile();
        Process p = new ProcessBuilder(script.toString(), "--local-base")
                .directory(root.toFile()).redirectErrorStream(true).redirectOutput(log).start();
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("build-images.sh did not finish within 15 minutes; see " + log);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("build-images.sh failed (exit " + p.exitValue() + "): "
                    + Files.readString(log.toPath()));
        }
        return NAMES;
    }
}
