package io.datastream.protocol.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void bucketsAreContiguousAndEachHoldsItsBoundsOnly() {
        assertThat(LatencyHistogram.bucketOf(0)).isZero();
        for (int i = 0; i < LatencyHistogram.BUCKETS - 1; i++) {
            long upper = LatencyHistogram.upperBound(i);
            assertThat(LatencyHistogram.bucketOf(upper)).as("upper bound of %s", i).isEqualTo(i);
            assertThat(LatencyHistogram.bucketOf(upper + 1)).as("one above bucket %s", i).isEqualTo(i + 1);
            long lower = i == 0 ? 0 : LatencyHistogram.upperBound(i - 1) + 1;
            // a bucket is at most a quarter of its lower bound wide: a percentile read from it is at most 25% high
            assertThat(upper - lower).isLessThanOrEqualTo(Math.max(0, lower / 4));
        }
        assertThat(LatencyHistogram.upperBound(LatencyHistogram.BUCKETS - 1)).isEqualTo(LatencyHistogram.MAX_MS);
        assertThat(LatencyHistogram.bucketOf(Long.MAX_VALUE)).isEqualTo(LatencyHistogram.BUCKETS - 1);
        assertThat(LatencyHistogram.bucketOf(-5)).as("clocks apart: a negative latency counts as 0").isZero();
    }

    @Test
    void percentilesAreTheBucketBoundCappedByTheExactMax() {
        LatencyHistogram h = new LatencyHistogram();
        assertThat(h.percentile(0.5)).isZero();
        h.record(1_000, 98);
        h.record(5_000, 1);
        h.record(60_123, 1);
        assertThat(h.count()).isEqualTo(100);
        assertThat(h.max()).isEqualTo(60_123);
        long p50 = h.percentile(0.5);
        assertThat(p50).isBetween(1_000L, 1_250L);
        assertThat(h.percentile(0.99)).isBetween(5_000L, 6_250L);
        assertThat(h.percentile(1.0)).isEqualTo(60_123);
    }

    @Test
    void mergingAddsBucketsSoPercentilesOfTheWholeAreRight() {
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        a.record(100, 10);
        b.record(10_000, 30);
        LatencyHistogram whole = a.copy();
        whole.add(b);
        assertThat(whole.count()).isEqualTo(40);
        assertThat(whole.max()).isEqualTo(10_000);
        assertThat(whole.percentile(0.25)).isBetween(100L, 125L);
        assertThat(whole.percentile(0.5)).isEqualTo(10_000);
        assertThat(a.count()).as("the copy is separate").isEqualTo(10);
    }

    @Test
    void theLedgerAddsLatenciesPerMinuteAndTheBodyCarriesTheBuckets() {
        MinuteLedger l = new MinuteLedger(10, 100);
        LatencyHistogram h = new LatencyHistogram();
        h.record(1_000, 3);
        l.addLatency("t", 100, h);
        l.addLatency("t", 100, h);
        l.add("t", 100, ReportCount.LINES_COMMITTED, 6);
        List<MinuteLedger.Entry> p = l.pending();
        assertThat(p).hasSize(1);
        assertThat(p.get(0).latency().count()).isEqualTo(6);
        String body = new String(ReportBody.chunks(ReportSource.SINK, "sink-1", p, 10_000, 100).get(0).json(), StandardCharsets.UTF_8);
        int bucket = LatencyHistogram.bucketOf(1_000);
        assertThat(body).contains("\"linesCommitted\":6,\"latencyMaxMs\":1000,\"latencyBuckets\":{\"" + bucket + "\":6}}");
        assertThat(l.addLatency("bad id!", 100, h)).isFalse();
    }
}
