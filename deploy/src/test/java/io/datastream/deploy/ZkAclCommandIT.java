package io.datastream.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datastream.embedded.zk.EmbeddedZooKeeper;
import io.datastream.registry.ZkClients;
import io.datastream.registry.ZkLayout;
import io.datastream.registry.task.TaskSpec;
import io.datastream.registry.task.TaskStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ds zk-acl apply|open} against a real ZooKeeper holding a tree written without credentials. */
class ZkAclCommandIT {
    private record Run(int exit, String out, String err) {
    }

    private static Run ds(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cl = Ds.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new Run(cl.execute(args), out.toString(), err.toString());
    }

    @Test
    void applyLocksAnExistingTreeAndOpenReopensIt(@TempDir Path dir) throws Exception {
        Path control = dir.resolve("control.cred");
        Path agent = dir.resolve("agent.cred");
        Files.writeString(control, "control:control-password-0123456789\n");
        Files.writeString(agent, "agent:agent-password-0123456789\n");
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start();
             CuratorFramework anonymous = ZkClients.start(zk.connectString())) {
            assertThat(anonymous.blockUntilConnected(30, TimeUnit.SECONDS)).isTrue();
            TaskStore store = new TaskStore(anonymous, ZkLayout.defaults());
            store.create(TaskSpec.of("web", List.of("/var/log/*.log"), "ds-web"), "before");

            Run apply = ds("zk-acl", "apply", "--zookeeper", zk.connectString(), "--auth-file", control.toString(),
                    "--agent", agent.toString());
            assertThat(apply.exit()).as(apply.err()).isZero();
            assertThat(apply.out()).contains("zk-acl apply: ").contains(" nodes under /datastream have their ACL");
            assertThat(apply.err()).contains("warning: no --router credential: no router can register under /datastream")
                    .contains("warning: no --sink credential").doesNotContain("control-password").doesNotContain("agent-password");
            assertThatThrownBy(() -> store.update(TaskSpec.of("web", List.of("/etc/*"), "x"), -1, "mallory"))
                    .isInstanceOf(KeeperException.NoAuthException.class);

            Run noCredential = ds("zk-acl", "apply", "--zookeeper", zk.connectString());
            assertThat(noCredential.exit()).isNotZero();
            assertThat(noCredential.err()).contains("--auth-file or --auth-env: the control credential is required");

            Run open = ds("zk-acl", "open", "--zookeeper", zk.connectString(), "--auth-file", control.toString());
            assertThat(open.exit()).as(open.err()).isZero();
            store.update(TaskSpec.of("web", List.of("/var/log/nginx/*.log"), "ds-web"), -1, "anyone");
        }
    }
}
