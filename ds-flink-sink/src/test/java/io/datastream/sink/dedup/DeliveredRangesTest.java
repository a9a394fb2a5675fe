package io.datastream.sink.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DeliveredRangesTest {

    private static DeliveredRanges union(DeliveredRanges r, long... bounds) {
        RunList runs = new RunList();
        for (int i = 0; i < bounds.length; i += 2) {
            runs.add(bounds[i], bounds[i + 1]);
        }
        return r.union(runs, 1000).ranges();
    }

    @Test
    void emptySetCoversNothing() {
        DeliveredRanges r = DeliveredRanges.of(null);
        assertThat(r.covers(0, 10)).isFalse();
        assertThat(r.intersects(0, 10)).isFalse();
        assertThat(r.size()).isZero();
    }

    @Test
    void coversOnlyWhatWasDelivered() {
        DeliveredRanges r = union(DeliveredRanges.of(null), 100, 200, 300, 400);
        assertThat(r.covers(100, 200)).isTrue();
        assertThat(r.covers(150, 160)).isTrue();
        assertThat(r.covers(99, 120)).isFalse();
        assertThat(r.covers(190, 210)).isFalse();
        assertThat(r.covers(200, 300)).isFalse();
        assertThat(r.covers(150, 350)).as("a range spanning a gap is not covered").isFalse();
        assertThat(r.intersects(190, 210)).isTrue();
        assertThat(r.intersects(200, 300)).as("end-exclusive bounds").isFalse();
        assertThat(r.intersects(0, 100)).isFalse();
        assertThat(r.intersects(399, 500)).isTrue();
    }

    @Test
    void touchingAndOverlappingRangesMerge() {
        DeliveredRanges r = union(DeliveredRanges.of(null), 0, 10);
        r = union(r, 10, 20);
        assertThat(r.toArray()).containsExactly(0, 20);
        r = union(r, 30, 40);
        r = union(r, 15, 35);
        assertThat(r.toArray()).containsExactly(0, 40);
    }

    @Test
    void outOfOrderBatchesLeaveAGapUntilItIsFilled() {
        DeliveredRanges r = union(DeliveredRanges.of(null), 200, 300);
        r = union(r, 0, 100);
        assertThat(r.size()).isEqualTo(2);
        r = union(r, 100, 200);
        assertThat(r.toArray()).containsExactly(0, 300);
    }

    @Test
    void beyondTheLimitTheLowestRangesAreForgotten() {
        RunList runs = new RunList();
        for (int i = 0; i < 20; i++) {
            runs.add(i * 10L, i * 10L + 5);
        }
        DeliveredRanges.Union u = DeliveredRanges.of(null).union(runs, 16);
        assertThat(u.evicted()).isEqualTo(4);
        assertThat(u.ranges().size()).isEqualTo(16);
        assertThat(u.ranges().covers(0, 5)).as("forgotten: a re-send would be written again, never lost").isFalse();
        assertThat(u.ranges().covers(190, 195)).isTrue();
    }

    @Test
    void unionDoesNotChangeTheStateArray() {
        long[] state = {0, 10};
        DeliveredRanges r = DeliveredRanges.of(state);
        union(r, 10, 20);
        assertThat(state).containsExactly(0, 10);
    }

    /** Random deliveries against a bit-per-byte model: covers/intersects/union agree with it. */
    @Test
    void agreesWithABitmapModel() {
        Random rnd = new Random(42);
        for (int round = 0; round < 200; round++) {
            BitSet model = new BitSet();
            DeliveredRanges r = DeliveredRanges.of(null);
            for (int step = 0; step < 30; step++) {
                int s = rnd.nextInt(1000);
                int e = s + 1 + rnd.nextInt(60);
                boolean covered = model.get(s, e).cardinality() == e - s;
                boolean any = !model.get(s, e).isEmpty();
                assertThat(r.covers(s, e)).as("covers [%d,%d) in %s", s, e, r).isEqualTo(covered);
                assertThat(r.intersects(s, e)).as("intersects [%d,%d) in %s", s, e, r).isEqualTo(any);
                if (rnd.nextBoolean()) {
                    // a batch: consecutive lines from s
                    RunList runs = new RunList();
                    int pos = s;
                    while (pos < e) {
                        int next = Math.min(e, pos + 1 + rnd.nextInt(10));
                        runs.add(pos, next);
                        pos = next;
                    }
                    r = r.union(runs, 10_000).ranges();
                    model.set(s, e);
                }
            }
            long[] a = r.toArray();
            for (int i = 0; i + 3 < a.length; i += 2) {
                assertThat(a[i + 1]).as("sorted, disjoint and not touching").isLessThan(a[i + 2]);
            }
            for (int i = 0; i < a.length; i += 2) {
                assertThat(model.get((int) a[i], (int) a[i + 1]).cardinality()).isEqualTo((int) (a[i + 1] - a[i]));
            }
        }
    }
}
