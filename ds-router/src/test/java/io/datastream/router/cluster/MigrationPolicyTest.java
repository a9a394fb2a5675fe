package io.datastream.router.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.datastream.registry.member.RouterInfo;
import io.datastream.router.config.MigrationConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class MigrationPolicyTest {
    private final MigrationPolicy policy = new MigrationPolicy(new MigrationConfig(true, 0.8, 0.2, 0.25, 1000L, 1000L, 2));

    private static RouterInfo router(String id, double load, boolean draining) {
        return new RouterInfo(id, id + ".local", 7100, 7101, "v", 1, 1, 1000, (long) (load * 1000), 3, draining, 0);
    }

    @Test
    void noMigrationBelowTheThreshold() {
        assertThat(policy.decide(0.7, List.of(router("b", 0.0, false)), 10).count()).isZero();
    }

    @Test
    void noMigrationWhenOthersAreAsLoaded() {
        assertThat(policy.decide(0.9, List.of(router("b", 0.75, false)), 10).count()).isZero();
    }

    @Test
    void movesAShareToTheLeastLoaded() {
        MigrationPolicy.Decision d = policy.decide(0.95, List.of(router("b", 0.5, false), router("c", 0.1, false),
                router("d", 0.0, true), router("e", 0.3, false)), 10);
        assertThat(d.count()).isEqualTo(3); // ceil(10 * 0.25)
        assertThat(d.suggested()).containsExactly("c.local:7100", "e.local:7100"); // draining d skipped, at most 2
    }

    @Test
    void atLeastOneAgentMoves() {
        assertThat(policy.decide(0.95, List.of(router("b", 0.0, false)), 1).count()).isEqualTo(1);
        assertThat(policy.decide(0.95, List.of(router("b", 0.0, false)), 0).count()).isZero();
    }

    @Test
    void disabledNeverMoves() {
        MigrationPolicy off = new MigrationPolicy(new MigrationConfig(false, null, null, null, null, null, null));
        assertThat(off.decide(1.0, List.of(router("b", 0.0, false)), 10).count()).isZero();
    }
}
