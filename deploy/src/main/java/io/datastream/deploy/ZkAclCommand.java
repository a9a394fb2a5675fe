package io.datastream.deploy;

import io.datastream.registry.ZkClients;
import io.datastream.registry.ZkLayout;
import io.datastream.registry.acl.ZkAcls;
import io.datastream.registry.acl.ZkCredentials;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.Id;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ds zk-acl apply|open}: locks an existing Datastream tree in ZooKeeper with the ACLs of
 * {@link ZkAcls} (only control writes tasks; agents, routers and sinks only their own nodes), or
 * makes it world-writable again. It authenticates with the control credential.
 */
@Command(name = "zk-acl", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Set the ZooKeeper ACLs of a Datastream tree (docs/security.md, section ZooKeeper).",
            "apply: only the control credential writes tasks, each component's credentials only its own nodes; anyone may read"
                    + " tasks and registrations, only control the audit trail.",
            "open: world-writable again (rollback)."})
public final class ZkAclCommand implements Callable<Integer> {
    /** What to do. */
    public enum Action { apply, open }

    @Parameters(index = "0", paramLabel = "apply|open", description = "apply or open")
    Action action;

    @Option(names = "--zookeeper", paramLabel = "HOST:PORT", description = "ZooKeeper connect string (default: ${DEFAULT-VALUE}).")
    String zookeeper = "localhost:2181";

    @Option(names = "--root", paramLabel = "PATH", description = "Root of the Datastream nodes (default: ${DEFAULT-VALUE}).")
    String root = ZkLayout.DEFAULT_ROOT;

    @Option(names = "--auth-file", paramLabel = "FILE", description = "File holding the control credential user:password.")
    String authFile;

    @Option(names = "--auth-env", paramLabel = "VAR", description = "Environment variable holding it, instead of --auth-file.")
    String authEnv;

    @Option(names = "--control", paramLabel = "FILE", description = "Another control credential (user:password file); repeatable.")
    List<String> control = new ArrayList<>();

    @Option(names = "--agent", paramLabel = "FILE", description = "An agent credential (user:password file); repeatable.")
    List<String> agents = new ArrayList<>();

    @Option(names = "--router", paramLabel = "FILE", description = "A router credential (user:password file); repeatable.")
    List<String> routers = new ArrayList<>();

    @Option(names = "--sink", paramLabel = "FILE", description = "A sink credential (user:password file); repeatable.")
    List<String> sinks = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ZkCredentials self;
        try {
            self = ZkCredentials.from(authFile, authEnv);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--auth-file/--auth-env: " + e.getMessage());
        }
        if (self == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--auth-file or --auth-env: the control credential is required");
        }
        ZkLayout layout = new ZkLayout(root);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (CuratorFramework zk = ZkClients.start(zookeeper, Duration.ofSeconds(15), self, layout)) {
            if (!zk.blockUntilConnected(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("ZooKeeper at " + zookeeper + " is not reachable");
            }
            ZkAcls.Report report;
            if (action == Action.apply) {
                List<Id> controlIds = new ArrayList<>(List.of(self.id()));
                controlIds.addAll(ids("--control", control));
                ZkAcls.Roles roles = new ZkAcls.Roles(controlIds, ids("--agent", agents), ids("--router", routers), ids("--sink", sinks));
                for (String[] role : new String[][]{{"agent", "--agent"}, {"router", "--router"}, {"sink", "--sink"}}) {
                    boolean none = switch (role[0]) {
                        case "agent" -> roles.agents().isEmpty();
                        case "router" -> roles.routers().isEmpty();
                        default -> roles.sinks().isEmpty();
                    };
                    if (none) {
                        err.println("warning: no " + role[1] + " credential: no " + role[0] + " can register under " + root);
                    }
                }
                report = ZkAcls.apply(zk, layout, roles);
            } else {
                report = ZkAcls.open(zk, layout);
            }
            out.println("zk-acl " + action + ": " + report.set() + " nodes under " + root + " have their ACL");
            for (String k : report.kept()) {
                err.println("warning: kept " + k);
            }
            out.flush();
            err.flush();
        }
        return 0;
    }

    private List<Id> ids(String option, List<String> files) {
        List<Id> out = new ArrayList<>();
        for (String f : files) {
            try {
                out.add(ZkCredentials.fromFile(f).id());
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), option + ": " + e.getMessage());
            }
        }
        return out;
    }
}
