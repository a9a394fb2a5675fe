package io.datastream.control.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The API's tokens with their secrets resolved (files read, environment variables looked up).
 * Empty = no token configured: the API then serves loopback clients only. A presented token is
 * compared against every secret in constant time.
 */
public final class Credentials {
    /** A token's name and role with its secret. */
    public record Credential(String name, Role role, byte[] secret) {
        @Override
        public String toString() {
            return "Credential[name=" + name + ", role=" + role.configName() + "]";
        }
    }

    /** The name under which the single {@code auth.token} is recorded. */
    public static final String ADMIN_TOKEN_NAME = "admin";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final int MIN_SECRET_LENGTH = 16;

    private final List<Credential> credentials;

    private Credentials(List<Credential> credentials) {
        this.credentials = List.copyOf(credentials);
    }

    public static final Credentials NONE = new Credentials(List.of());

    /**
     * Resolves {@code adminToken}/{@code adminTokenFile} (the shorthand for one admin token) and
     * {@code tokens}; every problem is added to {@code errors} with its key path.
     */
    public static Credentials resolve(String adminToken, String adminTokenFile, List<ApiToken> tokens,
                                      Function<String, String> env, List<String> errors) {
        List<Credential> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        if (adminToken != null && !adminToken.isEmpty() || adminTokenFile != null) {
            Optional<byte[]> s = secret("auth", adminToken == null || adminToken.isEmpty() ? null : adminToken, adminTokenFile, null, env, errors);
            s.ifPresent(b -> out.add(new Credential(ADMIN_TOKEN_NAME, Role.ADMIN, b)));
            names.add(ADMIN_TOKEN_NAME);
        }
        for (int i = 0; i < tokens.size(); i++) {
            ApiToken t = tokens.get(i);
            String key = "auth.tokens[" + i + "]";
            if (t == null) {
                errors.add(key + ": must be a mapping with name, role and one of token, tokenFile, tokenEnv");
                continue;
            }
            if (t.name() == null || !NAME.matcher(t.name()).matches()) {
                errors.add(key + ".name: must be 1-64 of [A-Za-z0-9._-], was " + (t.name() == null ? "missing" : "'" + t.name() + "'"));
            } else if (!names.add(t.name())) {
                errors.add(key + ".name: '" + t.name() + "' is used twice");
            }
            secret(key, t.token(), t.tokenFile(), t.tokenEnv(), env, errors)
                    .ifPresent(b -> out.add(new Credential(t.name(), t.role(), b)));
        }
        return new Credentials(out);
    }

    private static Optional<byte[]> secret(String key, String inline, String file, String envName, Function<String, String> env,
                                           List<String> errors) {
        List<String> given = ApiToken.sourcesGiven(inline, file, envName);
        String prefix = key.equals("auth") ? "auth." : key + ".";
        if (given.size() != 1) {
            errors.add(key + ": give exactly one of " + prefix + "token, " + prefix + "tokenFile"
                    + (key.equals("auth") ? "" : ", " + prefix + "tokenEnv") + (given.isEmpty() ? "" : " (got " + String.join(", ", given) + ")"));
            return Optional.empty();
        }
        String value;
        String source;
        if (inline != null) {
            value = inline;
            source = prefix + "token";
        } else if (file != null) {
            source = prefix + "tokenFile";
            try {
                value = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                errors.add(source + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
                return Optional.empty();
            }
        } else {
            source = prefix + "tokenEnv";
            value = env.apply(envName);
            if (value == null) {
                errors.add(source + ": the environment variable " + envName + " is not set");
                return Optional.empty();
            }
            value = value.strip();
        }
        if (value.length() < MIN_SECRET_LENGTH) {
            errors.add(source + ": a token must have at least " + MIN_SECRET_LENGTH + " characters");
            return Optional.empty();
        }
        return Optional.of(value.getBytes(StandardCharsets.UTF_8));
    }

    public boolean isEmpty() {
        return credentials.isEmpty();
    }

    public List<Credential> all() {
        return credentials;
    }

    /** The credential whose secret is {@code presented}; every secret is compared, in constant time. */
    public Optional<Credential> match(byte[] presented) {
        Credential found = null;
        for (Credential c : credentials) {
            if (MessageDigest.isEqual(c.secret(), presented) && found == null) {
                found = c;
            }
        }
        return Optional.ofNullable(found);
    }

    @Override
    public String toString() {
        return "Credentials" + credentials;
    }
}
