package io.datastream.control.inventory;

import io.datastream.registry.member.RouterInfo;
import java.util.function.Predicate;

/**
 * A filter over routers; null parts match any router.
 *
 * @param host  host name glob
 * @param state {@value #ACTIVE} (taking agents) or {@value #DRAINING} (shutting down)
 */
public record RouterQuery(HostGlob host, String state) implements Predicate<RouterInfo> {
    public static final String ACTIVE = "active";
    public static final String DRAINING = "draining";
    public static final RouterQuery ALL = new RouterQuery(null, null);

    public RouterQuery {
        if (state != null && !state.equals(ACTIVE) && !state.equals(DRAINING)) {
            throw new IllegalArgumentException("'" + state + "' is not one of active, draining");
        }
    }

    @Override
    public boolean test(RouterInfo r) {
        if (host != null && !host.matches(r.host())) {
            return false;
        }
        return state == null || state.equals(stateOf(r));
    }

    /** "active" or "draining". */
    public static String stateOf(RouterInfo r) {
        return r.draining() ? DRAINING : ACTIVE;
    }
}
