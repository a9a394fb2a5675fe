package io.datastream.registry.acl;

import io.datastream.registry.ZkLayout;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.curator.framework.api.ACLProvider;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;

/**
 * The ACLs a Datastream client gives the nodes it creates. Without a credential: world-writable,
 * as before ACLs existed. With one:
 *
 * <pre>
 * {root}, {root}/tasks, agents, routers, sinks, audit   world-writable if this client creates them
 *                                                       (the cluster is not provisioned yet; {@link ZkAcls#apply} locks them)
 * {root}/audit/...                                      this client's credential only (control)
 * anything else under {root} (a task, a registration)  this client's credential ALL, anyone READ
 * </pre>
 *
 * So a node a component creates can be changed only by the same credential, whether or not the
 * tree is provisioned.
 */
public final class DatastreamAclProvider implements ACLProvider {
    // Curator asks contains(null) of the list, which List.of answers with an exception
    private static final List<ACL> OWNER_WORLD_READ = Collections.unmodifiableList(Arrays.asList(
            new ACL(ZooDefs.Perms.ALL, ZooDefs.Ids.AUTH_IDS),
            new ACL(ZooDefs.Perms.READ, ZooDefs.Ids.ANYONE_ID_UNSAFE)));

    private final ZkLayout layout;
    private final boolean authenticated;

    /** @param authenticated whether the client adds a digest credential */
    public DatastreamAclProvider(ZkLayout layout, boolean authenticated) {
        this.layout = layout;
        this.authenticated = authenticated;
    }

    @Override
    public List<ACL> getDefaultAcl() {
        return ZooDefs.Ids.OPEN_ACL_UNSAFE;
    }

    @Override
    public List<ACL> getAclForPath(String path) {
        if (!authenticated || ZkAcls.isStructural(layout, path) || !path.startsWith(prefix())) {
            return ZooDefs.Ids.OPEN_ACL_UNSAFE;
        }
        if (path.startsWith(layout.audit() + "/")) {
            return ZooDefs.Ids.CREATOR_ALL_ACL;
        }
        return OWNER_WORLD_READ;
    }

    private String prefix() {
        return layout.root().equals("/") ? "/" : layout.root() + "/";
    }
}
