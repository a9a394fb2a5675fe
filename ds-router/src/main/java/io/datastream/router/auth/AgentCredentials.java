package io.datastream.router.auth;

import io.datastream.router.config.AgentCredentialConfig;
import io.datastream.router.config.AuthConfig;
import io.datastream.router.route.NameGlob;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * The credentials of {@code auth.*}, compiled: checks a HELLO's token, agent id and host (and the
 * verified client certificate's CN) and gives the connection its {@link Identity}. Tokens are
 * compared in constant time, every per-agent token on every HELLO, so that timing does not tell
 * which one nearly matched. Immutable; shared by every event loop.
 */
public final class AgentCredentials {
    /** The outcome of a HELLO: an identity, or the refusal reason and a message for the agent (never containing a token). */
    public record Check(Identity identity, Refusal refusal, String message) {
        public boolean ok() {
            return identity != null;
        }
    }

    private record Credential(String name, byte[] token, NameGlob certificateCn, List<NameGlob> agentIds, List<NameGlob> hosts,
                              Identity identity) {
    }

    private final byte[] sharedToken;
    private final List<Credential> credentials;

    private AgentCredentials(byte[] sharedToken, List<Credential> credentials) {
        this.sharedToken = sharedToken;
        this.credentials = credentials;
    }

    /** Compiles a validated {@code auth} section (token files are read now). */
    public static AgentCredentials of(AuthConfig auth) {
        List<Credential> list = new ArrayList<>();
        for (AgentCredentialConfig a : auth.agents()) {
            String token = a.token() != null && !a.token().isEmpty() ? a.token()
                    : a.tokenFile() != null && !a.tokenFile().isEmpty() ? AuthConfig.readToken(a.tokenFile()) : null;
            list.add(new Credential(a.name(), token == null ? null : token.getBytes(StandardCharsets.UTF_8),
                    a.byCertificate() ? new NameGlob(a.certificateCn()) : null, globs(a.agentIds()), globs(a.hosts()),
                    new Identity(a.name(), true, globs(a.tasks()), globs(a.topics()))));
        }
        return new AgentCredentials(auth.sharedToken().getBytes(StandardCharsets.UTF_8), List.copyOf(list));
    }

    /** No authentication: every client is accepted unrestricted. */
    public static AgentCredentials open() {
        return new AgentCredentials(new byte[0], List.of());
    }

    private static List<NameGlob> globs(List<String> patterns) {
        return patterns.stream().map(NameGlob::new).toList();
    }

    public boolean required() {
        return sharedToken.length > 0 || !credentials.isEmpty();
    }

    /**
     * Checks a HELLO.
     *
     * @param token         the HELLO's token ("" = none)
     * @param certificateCn the CN of the client certificate verified by TLS, or null
     */
    public Check check(String token, String agentId, String host, String certificateCn) {
        if (!required()) {
            return new Check(Identity.OPEN, null, null);
        }
        byte[] presented = token.getBytes(StandardCharsets.UTF_8);
        Credential byToken = null;
        for (Credential c : credentials) {
            if (c.token() != null && MessageDigest.isEqual(c.token(), presented) && byToken == null) {
                byToken = c;
            }
        }
        Credential byCertificate = null;
        if (byToken == null && certificateCn != null) {
            for (Credential c : credentials) {
                if (c.certificateCn() != null && c.certificateCn().matches(certificateCn)) {
                    byCertificate = c;
                    break;
                }
            }
        }
        Credential c = byToken != null ? byToken : byCertificate;
        if (c != null) {
            boolean idOk = c.agentIds().isEmpty() ? agentId.equals(certificateCn) : NameGlob.any(c.agentIds(), agentId);
            if (!idOk) {
                return new Check(null, Refusal.AGENT_ID, "credential '" + c.name() + "' may not claim agent id '" + agentId + "'");
            }
            if (!NameGlob.any(c.hosts(), host)) {
                return new Check(null, Refusal.AGENT_ID, "credential '" + c.name() + "' may not claim host '" + host + "'");
            }
            return new Check(c.identity(), null, null);
        }
        if (sharedToken.length > 0 && MessageDigest.isEqual(sharedToken, presented)) {
            return new Check(Identity.SHARED_TOKEN, null, null);
        }
        String why = !token.isEmpty() ? "the auth token was refused"
                : certificateCn != null ? "no credential for the client certificate CN '" + certificateCn + "'"
                : "this router requires an auth token" + (credentials.stream().anyMatch(x -> x.certificateCn() != null)
                        ? " or a client certificate" : "");
        return new Check(null, Refusal.CREDENTIAL, why);
    }
}
