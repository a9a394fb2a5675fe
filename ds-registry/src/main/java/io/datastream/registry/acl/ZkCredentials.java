package io.datastream.registry.acl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;

/**
 * A ZooKeeper digest credential, {@code user:password}, read from a file or an environment
 * variable (never from inline YAML, never logged: {@link #toString()} shows the user only).
 */
public final class ZkCredentials {
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final String user;
    private final String password;

    private ZkCredentials(String user, String password) {
        this.user = user;
        this.password = password;
    }

    /**
     * Parses {@code user:password}: a user of 1-64 of [A-Za-z0-9._-], a password of 16-1024
     * characters without line breaks. @param source names where it came from, for the error
     * @throws IllegalArgumentException with a one-line reason that never contains the password
     */
    public static ZkCredentials parse(String text, String source) {
        String t = text == null ? "" : text.strip();
        int colon = t.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException(source + " must hold user:password");
        }
        String u = t.substring(0, colon);
        String p = t.substring(colon + 1);
        if (!USER.matcher(u).matches()) {
            throw new IllegalArgumentException(source + ": the user must be 1-64 of [A-Za-z0-9._-]");
        }
        if (p.length() < 16 || p.length() > 1024 || p.indexOf('\n') >= 0 || p.indexOf('\r') >= 0) {
            throw new IllegalArgumentException(source + ": the password must be one line of 16-1024 characters");
        }
        return new ZkCredentials(u, p);
    }

    /** The credential in {@code file}. @throws IllegalArgumentException when unreadable or malformed */
    public static ZkCredentials fromFile(String file) {
        try {
            return parse(Files.readString(Path.of(file), StandardCharsets.UTF_8), "file '" + file + "'");
        } catch (IOException | java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException("cannot read '" + file + "': " + e.getMessage(), e);
        }
    }

    /** The credential in environment variable {@code name} of {@code env}. */
    public static ZkCredentials fromEnv(String name, Map<String, String> env) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("environment variable " + name + " is not set");
        }
        return parse(v, "environment variable " + name);
    }

    /**
     * The credential named by a component's {@code authFile} or {@code authEnv} (at most one
     * set), or null when neither is.
     */
    public static ZkCredentials from(String file, String envName) {
        boolean hasFile = file != null && !file.isBlank();
        boolean hasEnv = envName != null && !envName.isBlank();
        if (hasFile && hasEnv) {
            throw new IllegalArgumentException("set authFile or authEnv, not both");
        }
        return hasFile ? fromFile(file) : hasEnv ? fromEnv(envName, System.getenv()) : null;
    }

    public String user() {
        return user;
    }

    /** The bytes Curator sends with {@code addAuthInfo("digest", ...)}. */
    public byte[] authBytes() {
        return (user + ":" + password).getBytes(StandardCharsets.UTF_8);
    }

    /** The ACL id of this credential: {@code digest:user:base64(sha1(user:password))}. */
    public Id id() {
        try {
            return new Id("digest", DigestAuthenticationProvider.generateDigest(user + ":" + password));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no digest algorithm for ZooKeeper", e);
        }
    }

    @Override
    public String toString() {
        return "ZkCredentials[user=" + user + ", password=***]";
    }
}
