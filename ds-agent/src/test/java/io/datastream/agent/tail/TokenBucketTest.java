package io.datastream.agent.tail;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenBucketTest {
    @Test
    void limitsTheAverageRateWithOneSecondOfBurst() {
        long now = 1_000;
        TokenBucket b = new TokenBucket(100_000, now);
        long read = 0;
        for (int ms = 0; ms < 10_000; ms += 10) {
            long avail = b.available(now + ms);
            if (avail > 0) {
                long n = Math.min(avail, 64 * 1024);
                b.consume(n);
                read += n;
            }
        }
        // 10 s at 100 kB/s plus the initial one-second burst, overdrawn by at most one read
        assertThat(read).isBetween(1_000_000L, 1_100_000L + 64 * 1024);
    }

    @Test
    void waitsUntilTheDebtIsPaid() {
        TokenBucket b = new TokenBucket(1000, 0);
        b.consume(4096 + 2000); // the burst (at least 4 KiB) and 2 s of debt
        assertThat(b.available(0)).isZero();
        assertThat(b.waitMillis(0)).isBetween(2000L, 2002L);
        assertThat(b.available(1900)).isZero();
        assertThat(b.available(2100)).isPositive();
    }
}
