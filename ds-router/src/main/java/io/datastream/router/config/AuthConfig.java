package io.datastream.router.config;

import io.datastream.config.Doc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code auth.*}: who may connect as an agent.
 */
public record AuthConfig(
        @Doc("shared token any agent may send in HELLO (no restriction on what it writes); empty = none. With no `auth.token`/`auth.tokenFile` and no `auth.agents`, any client is accepted")
        String token,
        @Doc("a file holding the shared token, instead of `token`")
        String tokenFile,
        @Doc("per-agent credentials: `{name, token | tokenFile | certificateCn, agentIds, hosts, tasks, topics}` ([security.md](security.md#per-agent-identities))")
        List<AgentCredentialConfig> agents,
        @Doc("every connection may write only batches of tasks that ZooKeeper assigns to its HELLO's host (host selector and the "
                + "agent's registered labels), to the task's topic; refused batches get NOT_AUTHORIZED (reason `unassigned`). Needs "
                + "`zookeeper.connect`")
        Boolean onlyAssignedTasks) {
    public AuthConfig {
        token = token == null ? "" : token;
        agents = agents == null ? List.of() : new ArrayList<>(agents).stream().toList();
        onlyAssignedTasks = onlyAssignedTasks != null && onlyAssignedTasks;
    }

    public static AuthConfig none() {
        return new AuthConfig(null, null, null, null);
    }

    /** Whether any agent credential is required. */
    public boolean enabled() {
        return !token.isEmpty() || (tokenFile != null && !tokenFile.isEmpty()) || !agents.isEmpty();
    }

    /** The shared token: {@code token}, or the content of {@code tokenFile} (stripped); empty = none. */
    public String sharedToken() {
        return tokenFile == null || tokenFile.isEmpty() ? token : readToken(tokenFile);
    }

    /** A token file's content, stripped. @throws IllegalArgumentException when it cannot be read */
    public static String readToken(String file) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read '" + file + "': " + e.getMessage(), e);
        }
    }

    public void validate(ConfigErrors e, TlsConfig tls, ZooKeeperConfig zookeeper) {
        e.check(!onlyAssignedTasks || zookeeper.enabled(), "auth.onlyAssignedTasks",
                "needs zookeeper.connect (the router reads the task assignments from ZooKeeper)");
        e.check(token.length() <= 1024, "auth.token", "must be at most 1024 characters, was " + token.length());
        if (tokenFile != null && !tokenFile.isEmpty()) {
            e.check(token.isEmpty(), "auth.tokenFile", "set auth.token or auth.tokenFile, not both");
            checkTokenFile(e, "auth.tokenFile", tokenFile, 1);
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < agents.size(); i++) {
            String k = "auth.agents[" + i + "]";
            AgentCredentialConfig a = agents.get(i);
            if (a == null) {
                e.add(k, "must be a credential");
                continue;
            }
            a.validate(e, k, tls.clientCertificates());
            e.check(a.name() == null || names.add(a.name()), k + ".name", "duplicate name '" + a.name() + "'");
            if (a.tokenFile() != null && !a.tokenFile().isEmpty()) {
                checkTokenFile(e, k + ".tokenFile", a.tokenFile(), 16);
            }
        }
    }

    private static void checkTokenFile(ConfigErrors e, String key, String file, int min) {
        try {
            String t = readToken(file);
            e.check(t.length() >= min && t.length() <= 1024 && t.indexOf('\n') < 0, key,
                    "file '" + file + "' must hold one token of " + min + "-1024 characters");
        } catch (IllegalArgumentException x) {
            e.add(key, x.getMessage());
        }
    }

    @Override
    public String toString() {
        return "AuthConfig[token=" + (token.isEmpty() ? "" : "***") + ", tokenFile=" + tokenFile + ", agents=" + agents + ", onlyAssignedTasks=" + onlyAssignedTasks + "]";
    }
}
