package io.datastream.control.auth;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a token may do; each role includes the ones before it. */
public enum Role {
    /** Read tasks, their status and history, agents and routers. */
    @JsonProperty("read") READ,
    /** Also create, update and delete tasks. */
    @JsonProperty("write") WRITE,
    /** Everything, including what later administration routes add. */
    @JsonProperty("admin") ADMIN;

    /** Whether this role may do what {@code needed} allows. */
    public boolean allows(Role needed) {
        return ordinal() >= needed.ordinal();
    }

    public String configName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
