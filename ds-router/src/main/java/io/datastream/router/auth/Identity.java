package io.datastream.router.auth;

import io.datastream.router.route.NameGlob;
import java.util.List;

/**
 * Who a connection is, once its HELLO is accepted, and what it may write. An open router (no
 * credentials configured) and the shared token give an unrestricted identity; a per-agent
 * credential restricts the agent id and host of every batch to the HELLO's, the tasks and the
 * topics. Internal topics ({@code __*}) are refused to every identity.
 *
 * @param credential the credential's name ("open", "shared-token", or an {@code auth.agents} name)
 * @param restricted whether the checks below apply
 */
public record Identity(String credential, boolean restricted, List<NameGlob> tasks, List<NameGlob> topics) {
    public static final Identity OPEN = new Identity("open", false, List.of(), List.of());
    public static final Identity SHARED_TOKEN = new Identity("shared-token", false, List.of(), List.of());

    public boolean mayWriteTask(String taskId) {
        return !restricted || NameGlob.any(tasks, taskId);
    }

    public boolean mayWriteTopic(String topic) {
        if (topic == null || topic.startsWith("__")) {
            return false;
        }
        return !restricted || NameGlob.any(topics, topic);
    }
}
