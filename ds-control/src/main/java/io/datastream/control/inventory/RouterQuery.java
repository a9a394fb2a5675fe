package io.datastream.control.inventory;

import io.datastream.registry.member.RouterInfo;
import java.util.function.Predicate;

/**
 * A filter over routers; null parts match any router.
 *
 * @param host  host name glob
 * @param state {@value #ACTIVE} (taking agents) or {@value #DRAINING} (shutting down); {@value #UP} every live
 *              router; {@value #DOWN} matches no live router (the API lists routers that went away for it)
 */
public record RouterQuery(HostGlob host, String state) implements Predicate<RouterInfo> {
    public static final String ACTIVE = "active";
    public static final String DRAINING = "draining";
    public static final String UP = "up";
    public static final String DOWN = "down";
    public static final RouterQuery ALL = new RouterQuery(null, null);

    public RouterQuery {
        if (state != null && !state.equals(ACTIVE) && !state.equals(DRAINING) && !state.equals(UP) && !state.equals(DOWN)) {
            throw new IllegalArgumentException("'" + state + "' is not one of active, draining, up, down");
        }
    }

    @Override
    public boolean test(RouterInfo r) {
        if (host != null && !host.matches(r.host())) {
            return false;
        }
        return state == null || state.equals(UP) || state.equals(stateOf(r));
    }

    /** "active" or "draining". */
    public static String stateOf(RouterInfo r) {
        return r.draining() ? DRAINING : ACTIVE;
    }
}
