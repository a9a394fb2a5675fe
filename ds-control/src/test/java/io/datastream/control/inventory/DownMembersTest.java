package io.datastream.control.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.datastream.control.ops.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DownMembersTest {

    private static List<String> ids(List<DownMembers.Down<String>> down) {
        return down.stream().map(DownMembers.Down::id).toList();
    }

    @Test
    void aMemberIsDownSinceItWentAwayUntilItIsLiveAgainOrForgotten() {
        ManualClock clock = ManualClock.atMinute(1_000);
        DownMembers<String> down = new DownMembers<>(clock);
        down.wentDown("b", "last-b");
        clock.advance(Duration.ofMinutes(1));
        down.wentDown("a", "last-a");
        List<DownMembers.Down<String>> now = down.sorted(id -> false);
        assertThat(ids(now)).containsExactly("a", "b");
        assertThat(now.get(0).last()).isEqualTo("last-a");
        assertThat(now.get(1).sinceMillis()).isEqualTo(1_000 * 60_000L);
        // b publishes again: not down while live
        assertThat(ids(down.sorted(Set.of("b")::contains))).containsExactly("a");
        // forgotten a day after it went
        clock.advance(Duration.ofMillis(DownMembers.FORGET_MS - 60_000 + 1));
        assertThat(ids(down.sorted(id -> false))).containsExactly("a");
        clock.advance(Duration.ofMinutes(1));
        assertThat(down.sorted(id -> false)).isEmpty();
        assertThat(down.forgottenOverCap()).isZero();
    }

    @Test
    void goingDownAgainMovesTheSinceAndTheCapForgetsTheLongestDownAndCountsThem() {
        ManualClock clock = ManualClock.atMinute(5);
        DownMembers<String> down = new DownMembers<>(clock, 2);
        down.wentDown("a", "1");
        clock.advance(Duration.ofSeconds(1));
        down.wentDown("b", "1");
        clock.advance(Duration.ofSeconds(1));
        down.wentDown("a", "2");
        clock.advance(Duration.ofSeconds(1));
        down.wentDown("c", "1");
        // b went down longest ago once a went down again
        assertThat(ids(down.sorted(id -> false))).containsExactly("a", "c");
        assertThat(down.sorted(id -> false).get(0).last()).isEqualTo("2");
        assertThat(down.forgottenOverCap()).isEqualTo(1);
    }
}
