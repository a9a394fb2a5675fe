package io.datastream.router.config;

/**
 * {@code auth.*}.
 *
 * @param token shared secret every agent must send in HELLO; empty (default) = no authentication
 */
public record AuthConfig(String token) {
    public AuthConfig {
        token = token == null ? "" : token;
    }

    public boolean enabled() {
        return !token.isEmpty();
    }

    public void validate(ConfigErrors e) {
        e.check(token.length() <= 1024, "auth.token", "must be at most 1024 characters, was " + token.length());
    }

    @Override
    public String toString() {
        return "AuthConfig[token=" + (token.isEmpty() ? "" : "***") + "]";
    }
}
