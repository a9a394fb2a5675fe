package io.datastream.registry.acl;

import io.datastream.registry.ZkLayout;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;

/**
 * Provisioning of the ACLs of a Datastream tree ({@code ds zk-acl apply}), and their removal
 * ({@code ds zk-acl open}). After {@link #apply}:
 *
 * <pre>
 * {root}                       control ALL, anyone READ
 * {root}/tasks, tasks/{id}     control ALL, anyone READ         only control writes tasks
 * {root}/audit and below       control ALL                      only control reads and writes the trail
 * {root}/agents                control ALL, agent ids CREATE+DELETE, anyone READ
 * {root}/agents/{id}           agent ids ALL, anyone READ       (re-created by the agent: its own credential ALL)
 * {root}/routers, sinks        the same with the router and sink ids
 * {root}/agents/_keep etc.     control ALL, anyone READ: a persistent child that keeps the parent (which may
 *                              be a container node) from being deleted when its last registration goes
 * </pre>
 *
 * Both are idempotent: run them again after adding a credential. A node whose ACL cannot be set
 * (created by another credential, e.g. a registration re-created by its component) is kept as
 * it is and listed in the {@link Report}.
 */
public final class ZkAcls {
    /** The persistent child that keeps a container parent alive ({@code {root}/agents/_keep}). */
    public static final String KEEP = "_keep";

    private ZkAcls() {
    }

    /** Whose digest ids get which role. {@code control} must hold the credential that runs {@link #apply}. */
    public record Roles(List<Id> control, List<Id> agents, List<Id> routers, List<Id> sinks) {
        public Roles {
            if (control == null || control.isEmpty()) {
                throw new IllegalArgumentException("at least one control credential is needed");
            }
            control = List.copyOf(control);
            agents = agents == null ? List.of() : List.copyOf(agents);
            routers = routers == null ? List.of() : List.copyOf(routers);
            sinks = sinks == null ? List.of() : List.copyOf(sinks);
        }
    }

    /**
     * What a run did.
     *
     * @param set  nodes whose ACL is now the one above (set, created, or already so)
     * @param kept nodes whose ACL could not be set (owned by another credential), with why
     */
    public record Report(int set, List<String> kept) {
        public Report {
            kept = List.copyOf(kept);
        }
    }

    /** Whether {@code path} is the root or one of its direct structural children (tasks, agents, routers, sinks, audit). */
    public static boolean isStructural(ZkLayout layout, String path) {
        return path.equals(layout.root()) || path.equals(layout.tasks()) || path.equals(layout.agents())
                || path.equals(layout.routers()) || path.equals(layout.sinks()) || path.equals(layout.audit());
    }

    /** Creates the tree where missing and sets the ACLs above; {@code zk} must be authenticated with a control credential. */
    public static Report apply(CuratorFramework zk, ZkLayout layout, Roles roles) throws Exception {
        List<ACL> controlAll = acl(roles.control(), ZooDefs.Perms.ALL);
        List<ACL> controlWorldRead = plus(controlAll, worldRead());
        Run run = new Run(zk);
        run.set(layout.root(), controlWorldRead);
        run.set(layout.tasks(), controlWorldRead);
        for (String child : run.children(layout.tasks())) {
            run.set(layout.tasks() + "/" + child, controlWorldRead);
        }
        run.set(layout.audit(), controlAll);
        run.tree(layout.audit(), controlAll);
        members(run, layout.agents(), controlAll, roles.agents());
        members(run, layout.routers(), controlAll, roles.routers());
        members(run, layout.sinks(), controlAll, roles.sinks());
        return new Report(run.set, run.kept);
    }

    private static void members(Run run, String parent, List<ACL> controlAll, List<Id> ids) throws Exception {
        List<ACL> parentAcl = plus(plus(controlAll, acl(ids, ZooDefs.Perms.CREATE | ZooDefs.Perms.DELETE)), worldRead());
        run.set(parent, parentAcl);
        run.keep(parent, plus(controlAll, worldRead()));
        List<ACL> childAcl = plus(acl(ids, ZooDefs.Perms.ALL), worldRead());
        for (String child : run.children(parent)) {
            if (!child.equals(KEEP)) {
                run.set(parent + "/" + child, ids.isEmpty() ? worldRead() : childAcl);
            }
        }
    }

    /** Makes the tree world-writable again (rollback); {@code zk} must be authenticated with a control credential. */
    public static Report open(CuratorFramework zk, ZkLayout layout) throws Exception {
        Run run = new Run(zk);
        run.tree(layout.root(), ZooDefs.Ids.OPEN_ACL_UNSAFE);
        run.set(layout.root(), ZooDefs.Ids.OPEN_ACL_UNSAFE);
        return new Report(run.set, run.kept);
    }

    private static List<ACL> acl(List<Id> ids, int perms) {
        List<ACL> out = new ArrayList<>();
        for (Id id : ids) {
            out.add(new ACL(perms, id));
        }
        return out;
    }

    private static List<ACL> worldRead() {
        List<ACL> out = new ArrayList<>();
        out.add(new ACL(ZooDefs.Perms.READ, ZooDefs.Ids.ANYONE_ID_UNSAFE));
        return out;
    }

    private static List<ACL> plus(List<ACL> a, List<ACL> b) {
        List<ACL> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static final class Run {
        private final CuratorFramework zk;
        private int set;
        private final List<String> kept = new ArrayList<>();

        Run(CuratorFramework zk) {
            this.zk = zk;
        }

        /** Sets {@code acl} on {@code path}, creating it (and its parents, world-writable as ZooKeeper's own) if missing. */
        void set(String path, List<ACL> acl) throws Exception {
            try {
                zk.setACL().withACL(acl).forPath(path);
                set++;
            } catch (KeeperException.NoNodeException e) {
                try {
                    zk.create().creatingParentsIfNeeded().withACL(acl).forPath(path);
                    set++;
                } catch (KeeperException.NodeExistsException raced) {
                    set(path, acl);
                }
            } catch (KeeperException.NoAuthException e) {
                if (sameAcl(path, acl)) {
                    set++;
                } else {
                    kept.add(path + " (its ACL does not let this credential change it)");
                }
            }
        }

        /**
         * Whether {@code path} already has {@code acl}. ZooKeeper shows digest ids as {@code user:x}
         * to a client without ADMIN on the node, so digests compare by user name.
         */
        private boolean sameAcl(String path, List<ACL> acl) throws Exception {
            try {
                return masked(zk.getACL().forPath(path)).equals(masked(acl));
            } catch (KeeperException.NoNodeException | KeeperException.NoAuthException e) {
                return false;
            }
        }

        private static java.util.Set<String> masked(List<ACL> acl) {
            java.util.Set<String> out = new java.util.HashSet<>();
            for (ACL a : acl) {
                String id = a.getId().getId();
                if (a.getId().getScheme().equals("digest") && id.indexOf(':') >= 0) {
                    id = id.substring(0, id.indexOf(':'));
                }
                out.add(a.getPerms() + " " + a.getId().getScheme() + ":" + id);
            }
            return out;
        }

        /**
         * Keeps {@code path} from being removed by ZooKeeper if it is a container node (as the
         * first registration may create it, and which a client cannot tell from its stat): a
         * container that lost its last child is deleted, and re-created by the next registration
         * without these ACLs. A persistent child {@value #KEEP} keeps it (member directories skip
         * names starting with '_').
         */
        void keep(String path, List<ACL> keepAcl) throws Exception {
            try {
                zk.create().withACL(keepAcl).forPath(path + "/" + KEEP);
                set++;
            } catch (KeeperException.NodeExistsException e) {
                set(path + "/" + KEEP, keepAcl);
            }
        }

        List<String> children(String path) throws Exception {
            try {
                return zk.getChildren().forPath(path);
            } catch (KeeperException.NoNodeException e) {
                return List.of();
            } catch (KeeperException.NoAuthException e) {
                kept.add(path + " (its children cannot be listed by this credential)");
                return List.of();
            }
        }

        /** Sets {@code acl} on every node below {@code path} (not on {@code path} itself), deepest first. */
        void tree(String path, List<ACL> acl) throws Exception {
            for (String child : children(path)) {
                String p = path.equals("/") ? "/" + child : path + "/" + child;
                tree(p, acl);
                try {
                    zk.setACL().withACL(acl).forPath(p);
                    set++;
                } catch (KeeperException.NoNodeException e) {
                    // gone meanwhile (an ephemeral registration)
                } catch (KeeperException.NoAuthException e) {
                    kept.add(p + " (its ACL does not let this credential change it)");
                }
            }
        }
    }
}
