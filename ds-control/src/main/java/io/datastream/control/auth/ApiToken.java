package io.datastream.control.auth;

import io.datastream.config.Doc;

import java.util.List;

/**
 * A named API token in the configuration ({@code auth.tokens[i]}). The secret comes from exactly
 * one of {@code token} (inline), {@code tokenFile} (the file's content, trailing newline removed)
 * or {@code tokenEnv} (an environment variable), so it need not sit in the YAML.
 */
public record ApiToken(
        @Doc("who uses it, as the audit trail records it: 1-64 of [A-Za-z0-9._-]")
        String name,
        @Doc("read, write or admin")
        Role role,
        @Doc("the secret, inline")
        String token,
        @Doc("a file holding the secret")
        String tokenFile,
        @Doc("an environment variable holding the secret")
        String tokenEnv) {
    public ApiToken {
        role = role == null ? Role.READ : role;
    }

    /** The secret is never shown. */
    @Override
    public String toString() {
        return "ApiToken[name=" + name + ", role=" + role.configName() + ", token=" + (token == null ? "" : "***")
                + ", tokenFile=" + tokenFile + ", tokenEnv=" + tokenEnv + "]";
    }

    /** One of the three sources, named for errors. */
    static List<String> sourcesGiven(String token, String tokenFile, String tokenEnv) {
        List<String> given = new java.util.ArrayList<>();
        if (token != null) {
            given.add("token");
        }
        if (tokenFile != null) {
            given.add("tokenFile");
        }
        if (tokenEnv != null) {
            given.add("tokenEnv");
        }
        return given;
    }
}
