package io.datastream.agent.ship;

import static org.assertj.core.api.Assertions.assertThat;

import io.datastream.registry.member.RouterInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RouterPickerTest {
    private static RouterInfo router(String host, long used, boolean draining) {
        return new RouterInfo(host, host, 7100, 7101, "v", 1, 1, 1000, used, 0, draining, 0);
    }

    @Test
    void powerOfTwoChoicesPrefersLessLoadedRoutersAndSkipsDrainingOnes() {
        List<RouterInfo> live = List.of(router("a", 900, false), router("b", 100, false), router("c", 500, false), router("d", 0, true));
        RouterPicker p = new RouterPicker(List.of(RouterAddress.parse("fixed:1")), () -> live, new Random(1));
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 3000; i++) {
            counts.merge(p.pick(0).host(), 1, Integer::sum);
        }
        assertThat(counts).doesNotContainKey("d").doesNotContainKey("fixed");
        assertThat(counts.get("b")).isGreaterThan(counts.get("c"));
        assertThat(counts.get("c")).isGreaterThan(counts.getOrDefault("a", 0));
    }

    @Test
    void theFixedListIsUsedRoundRobinAndFailedRoutersCoolDown() {
        List<RouterAddress> fixed = List.of(RouterAddress.parse("r1:1"), RouterAddress.parse("r2:2"), RouterAddress.parse("r3:3"));
        RouterPicker p = new RouterPicker(fixed, List::of, new Random(2));
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            seen.add(p.pick(0).host());
        }
        assertThat(seen).containsExactlyInAnyOrder("r1", "r2", "r3");
        p.coolDown(RouterAddress.parse("r1:1"), 0, 1000);
        p.coolDown(RouterAddress.parse("r2:2"), 0, 2000);
        for (int i = 0; i < 5; i++) {
            assertThat(p.pick(10).host()).isEqualTo("r3");
        }
        p.coolDown(RouterAddress.parse("r3:3"), 0, 3000);
        assertThat(p.pick(10).host()).as("all cooling: the first to recover").isEqualTo("r1");
        p.suggest(List.of("s:9"));
        assertThat(p.pick(10)).isEqualTo(new RouterAddress("s", 9));
    }

    @Test
    void backoffFailsOverAtOnceThenGrowsWithJitterUpToTheMaximum() {
        Backoff b = new Backoff(100, 1000, () -> 1.0);
        assertThat(b.next()).isZero();
        assertThat(b.next()).isEqualTo(100);
        assertThat(b.next()).isEqualTo(200);
        assertThat(b.next()).isEqualTo(400);
        assertThat(b.next()).isEqualTo(800);
        assertThat(b.next()).isEqualTo(1000);
        assertThat(b.next()).isEqualTo(1000);
        b.reset();
        assertThat(b.next()).isZero();
        Backoff half = new Backoff(100, 1000, () -> 0.0);
        half.next();
        assertThat(half.next()).isEqualTo(50);
    }
}
