package io.datastream.router.config;

import io.datastream.config.Doc;

import java.util.ArrayList;
import java.util.List;

/**
 * One entry of {@code auth.agents}: a credential (a token, a token file, or a client
 * certificate's CN) and what an agent holding it may claim and write. Patterns are globs where
 * {@code *} matches any run of characters and {@code ?} one character.
 */
public record AgentCredentialConfig(
        @Doc("a name for logs and errors (required)")
        String name,
        @Doc("the agent's token (at least 16 characters), or null")
        String token,
        @Doc("a file holding the token (one line), or null")
        String tokenFile,
        @Doc("a glob matched against the CN of a verified client certificate (needs `tls.clientCaFile`), or null")
        String certificateCn,
        @Doc("globs the HELLO agent id must match; for a certificate credential the default is the certificate's CN itself")
        List<String> agentIds,
        @Doc("globs the HELLO host must match")
        List<String> hosts,
        @Doc("globs of the task ids the agent may write (required)")
        List<String> tasks,
        @Doc("globs of the Kafka topics its batches may be routed to")
        List<String> topics) {
    public AgentCredentialConfig {
        agentIds = agentIds == null ? List.of() : List.copyOf(agentIds);
        hosts = hosts == null ? List.of("*") : List.copyOf(hosts);
        tasks = tasks == null ? List.of() : List.copyOf(tasks);
        topics = topics == null ? List.of("*") : List.copyOf(topics);
    }

    private static boolean set(String s) {
        return s != null && !s.isEmpty();
    }

    public boolean byCertificate() {
        return set(certificateCn);
    }

    public void validate(ConfigErrors e, String k, boolean clientCertificates) {
        e.check(set(name) && name.length() <= 200, k + ".name", "must be 1-200 characters");
        int kinds = (set(token) ? 1 : 0) + (set(tokenFile) ? 1 : 0) + (set(certificateCn) ? 1 : 0);
        e.check(kinds == 1, k, "needs exactly one of token, tokenFile, certificateCn");
        e.check(!set(token) || token.length() >= 16 && token.length() <= 1024, k + ".token", "must be 16-1024 characters");
        e.check(!set(certificateCn) || clientCertificates, k + ".certificateCn",
                "needs client certificates: tls.enabled with tls.clientCaFile");
        e.check(!agentIds.isEmpty() || set(certificateCn), k + ".agentIds", "must list the agent ids (globs) this token may claim");
        e.check(!tasks.isEmpty(), k + ".tasks", "must list the task ids (globs) this agent may write");
        List<String> all = new ArrayList<>(agentIds);
        all.addAll(hosts);
        all.addAll(tasks);
        all.addAll(topics);
        for (String g : all) {
            e.check(g != null && !g.isEmpty() && g.length() <= 255, k, "patterns must be 1-255 characters, was '" + g + "'");
        }
    }

    @Override
    public String toString() {
        return "AgentCredentialConfig[name=" + name + ", token=" + (set(token) ? "***" : "") + ", tokenFile=" + tokenFile
                + ", certificateCn=" + certificateCn + ", agentIds=" + agentIds + ", hosts=" + hosts + ", tasks=" + tasks
                + ", topics=" + topics + "]";
    }
}
