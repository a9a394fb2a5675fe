package io.datastream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.datastream.control.ControlConfig;
import io.datastream.control.ControlServer;
import io.datastream.embedded.kafka.EmbeddedKafka;
import io.datastream.embedded.zk.EmbeddedZooKeeper;
import io.datastream.testkit.net.FreePorts;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ds doctor against a real ZooKeeper and Kafka broker, and against addresses where nothing answers. */
class DoctorIT {

    private record Run(int exit, String out) {
    }

    private static Run doctor(String... args) {
        StringWriter out = new StringWriter();
        picocli.CommandLine cl = Ds.commandLine();
        cl.setOut(new PrintWriter(out, true));
        String[] full = new String[args.length + 1];
        full[0] = "doctor";
        System.arraycopy(args, 0, full, 1, args.length);
        return new Run(cl.execute(full), out.toString());
    }

    @Test
    void reachableServicesPassAndEveryFailureSaysWhatToDo(@TempDir Path dir) throws Exception {
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(0, dir.resolve("zk"));
             EmbeddedKafka kafka = EmbeddedKafka.builder().logDir(dir.resolve("kafka")).build().start();
             ServerSocket router = new ServerSocket();
             ControlServer control = ControlServer.start(ControlConfig.fromYaml("http: {port: 0}\nstore: {path: '" + dir.resolve("metrics.db") + "'}\nzookeeper: {connect: '"
                     + zk.connectString() + "'}\n"))) {
            router.bind(new InetSocketAddress("127.0.0.1", 0));
            Run good = doctor("--zookeeper", zk.connectString(), "--kafka", kafka.bootstrapServers(),
                    "--router", "127.0.0.1:" + router.getLocalPort(), "--control", control.localUrl(), "--path", dir.toString(),
                    "--port", String.valueOf(FreePorts.next()));
            assertThat(good.exit()).as(good.out()).isZero();
            assertThat(good.out()).contains("ok    java: Java ").contains("ok    zookeeper " + zk.connectString() + ": answers imok")
                    .contains("ok    kafka " + kafka.bootstrapServers() + ": 1 broker(s)")
                    .contains("ok    router 127.0.0.1:" + router.getLocalPort() + ": accepts connections")
                    .contains("ok    control " + control.localUrl() + ": healthy, clock within 3 s of this host's")
                    .contains("ok    path " + dir + ": readable").contains("all 7 checks passed");

            int nothing = FreePorts.next();
            Run bad = doctor("--zookeeper", "127.0.0.1:" + nothing, "--kafka", "127.0.0.1:" + nothing, "--router",
                    "127.0.0.1:" + nothing, "--control", "http://127.0.0.1:" + nothing, "--path", dir.resolve("missing").toString(),
                    "--port", String.valueOf(router.getLocalPort()), "--timeout", "1500");
            assertThat(bad.exit()).isEqualTo(1);
            assertThat(bad.out()).contains("FAIL  zookeeper 127.0.0.1:" + nothing + ": not reachable")
                    .contains("start ZooKeeper or fix the address (--zookeeper)")
                    .contains("FAIL  kafka 127.0.0.1:" + nothing + ": no answer within 1 s")
                    .contains("FAIL  router 127.0.0.1:" + nothing + ": not reachable")
                    .contains("FAIL  control http://127.0.0.1:" + nothing + ": not reachable")
                    .contains("FAIL  path " + dir.resolve("missing") + ": does not exist")
                    .contains("FAIL  port " + router.getLocalPort() + ": in use").contains("6 of 7 checks failed");
        }
    }
}
