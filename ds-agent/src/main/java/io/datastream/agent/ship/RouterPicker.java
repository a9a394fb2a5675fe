package io.datastream.agent.ship;

import io.datastream.registry.member.RouterInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Chooses the router to connect to. Routers registered in ZooKeeper come first: draining ones
 * are skipped and, of two picked at random, the less loaded wins (power of two choices). Without
 * any, the fixed list (or an HAProxy address) is used round-robin from a random start. Routers
 * that just failed cool down for a while; routers a GOAWAY suggested are tried first. Used on
 * the shipper's event loop only.
 */
final class RouterPicker {
    private final List<RouterAddress> fixed;
    private final Supplier<List<RouterInfo>> registered;
    private final Random random;
    private final Map<RouterAddress, Long> coolUntil = new HashMap<>();
    private final List<RouterAddress> suggested = new ArrayList<>();
    private int next;

    RouterPicker(List<RouterAddress> fixed, Supplier<List<RouterInfo>> registered, Random random) {
        this.fixed = List.copyOf(fixed);
        this.registered = registered;
        this.random = random;
        this.next = fixed.isEmpty() ? 0 : random.nextInt(fixed.size());
    }

    /** The router to try now. */
    RouterAddress pick(long nowMillis) {
        while (!suggested.isEmpty()) {
            RouterAddress s = suggested.remove(0);
            if (!cooling(s, nowMillis)) {
                return s;
            }
        }
        List<RouterInfo> live = new ArrayList<>();
        for (RouterInfo r : registered.get()) {
            if (!r.draining() && r.host() != null && r.port() > 0 && !cooling(new RouterAddress(r.host(), r.port()), nowMillis)) {
                live.add(r);
            }
        }
        if (!live.isEmpty()) {
            RouterInfo a = live.get(random.nextInt(live.size()));
            if (live.size() > 1) {
                RouterInfo b = live.get(random.nextInt(live.size() - 1));
                if (b == a) {
                    b = live.get(live.size() - 1);
                }
                if (b.load() < a.load()) {
                    a = b;
                }
            }
            return new RouterAddress(a.host(), a.port());
        }
        if (fixed.isEmpty()) {
            return null;
        }
        RouterAddress best = null;
        for (int i = 0; i < fixed.size(); i++) {
            RouterAddress r = fixed.get((next + i) % fixed.size());
            if (!cooling(r, nowMillis)) {
                next = (next + i + 1) % fixed.size();
                return r;
            }
            if (best == null || coolUntil.get(r) < coolUntil.get(best)) {
                best = r;
            }
        }
        return best; // every router failed lately: the one that cools down first
    }

    private boolean cooling(RouterAddress r, long nowMillis) {
        Long until = coolUntil.get(r);
        return until != null && until > nowMillis;
    }

    /** {@code r} failed or asked us to leave: avoid it for {@code millis}. */
    void coolDown(RouterAddress r, long nowMillis, long millis) {
        if (r != null) {
            coolUntil.put(r, nowMillis + millis);
        }
    }

    /** Routers a GOAWAY suggested. */
    void suggest(List<String> routers) {
        suggested.clear();
        for (String s : routers) {
            try {
                suggested.add(RouterAddress.parse(s));
            } catch (IllegalArgumentException e) {
                // ignore a malformed suggestion
            }
        }
    }
}
