package io.datastream.router.credit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CreditPolicyTest {
    private static final long MIB = 1 << 20;

    @Test
    void poolNeverHoldsMoreThanItsCapacity() {
        MemoryPool pool = new MemoryPool(10);
        assertThat(pool.tryReserve(6)).isTrue();
        assertThat(pool.tryReserve(5)).isFalse();
        assertThat(pool.used()).isEqualTo(6);
        assertThat(pool.tryReserve(4)).isTrue();
        assertThat(pool.free()).isZero();
        pool.release(10);
        assertThat(pool.used()).isZero();
        assertThatThrownBy(() -> pool.release(1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void awaitEmptyReturnsOnceEverythingIsReleased() throws Exception {
        MemoryPool pool = new MemoryPool(10);
        assertThat(pool.awaitEmpty(0, TimeUnit.MILLISECONDS)).isTrue();
        pool.tryReserve(3);
        assertThat(pool.awaitEmpty(10, TimeUnit.MILLISECONDS)).isFalse();
        Thread t = new Thread(() -> pool.release(3));
        t.start();
        assertThat(pool.awaitEmpty(10, TimeUnit.SECONDS)).isTrue();
        t.join();
    }

    @Test
    void windowIsAFairShareWithinBounds() {
        CreditPolicy p = new CreditPolicy(new MemoryPool(256 * MIB), MIB, 32 * MIB);
        assertThat(p.window(1)).isEqualTo(32 * MIB);
        assertThat(p.window(16)).isEqualTo(16 * MIB);
        assertThat(p.window(10_000)).isEqualTo(MIB); // never below the largest batch
    }

    @Test
    void creditFollowsReleasedBytesPlusWindow() {
        MemoryPool pool = new MemoryPool(64 * MIB);
        CreditPolicy p = new CreditPolicy(pool, MIB, 8 * MIB);
        long first = p.nextLimit(0, 0, 0, 1);
        assertThat(first).isEqualTo(8 * MIB);
        // 8 MiB sent, 3 finished: the limit moves to 3 + 8
        assertThat(p.nextLimit(first, 8 * MIB, 3 * MIB, 1)).isEqualTo(11 * MIB);
        // nothing finished: no new credit
        assertThat(p.nextLimit(first, 8 * MIB, 0, 1)).isEqualTo(first);
    }

    @Test
    void aFullPoolStopsCredit() {
        MemoryPool pool = new MemoryPool(16 * MIB);
        CreditPolicy p = new CreditPolicy(pool, MIB, 8 * MIB);
        pool.tryReserve(15 * MIB);
        // would like 8 MiB, the pool has 1 MiB free
        assertThat(p.nextLimit(0, 0, 0, 1)).isEqualTo(MIB);
        pool.tryReserve(MIB);
        assertThat(p.nextLimit(MIB, MIB, 0, 1)).isEqualTo(MIB);
        assertThat(p.targetLimit(0, 1, 1)).isEqualTo(8 * MIB);
        pool.release(16 * MIB);
        assertThat(p.nextLimit(MIB, MIB, MIB, 1)).isEqualTo(9 * MIB);
    }

    @Test
    void creditNeverShrinks() {
        MemoryPool pool = new MemoryPool(16 * MIB);
        CreditPolicy p = new CreditPolicy(pool, MIB, 8 * MIB);
        // many connections now: the window shrank to the minimum, but a granted limit stays
        assertThat(p.nextLimit(8 * MIB, 0, 0, 100)).isEqualTo(8 * MIB);
    }

    @Test
    void creditFollowsWhatBatchesReserveInThePool() {
        // lines mode: each credit byte reserves 20 pool bytes (decompressed lines and records)
        MemoryPool pool = new MemoryPool(64 * MIB);
        CreditPolicy p = new CreditPolicy(pool, MIB, 64 * MIB);
        assertThat(p.window(1, 20)).isEqualTo(64 * MIB / 20);
        assertThat(p.nextLimit(0, 0, 0, 1, 20, 0)).isEqualTo(64 * MIB / 20);
        // the credit granted, when used, fits into the pool
        assertThat(pool.tryReserve(p.nextLimit(0, 0, 0, 1, 20, 0) * 20)).isTrue();
        pool.release(pool.used());
        // free pool bytes count for 1/20 of their size
        pool.tryReserve(44 * MIB);
        assertThat(p.nextLimit(0, 0, 0, 1, 20, 0)).isEqualTo(MIB);
        assertThat(p.targetLimit(0, 1, 20)).isEqualTo(64 * MIB / 20);
        // 256 KiB received that hold no reservation yet will take their share of the free bytes
        assertThat(p.nextLimit(5 * MIB, 5 * MIB, 5 * MIB, 1, 20, 256 << 10)).isEqualTo(5 * MIB + MIB - (256 << 10));
        // never below the largest batch, and 1 (envelope mode) is the plain window
        assertThat(p.window(1, 1000)).isEqualTo(MIB);
        assertThat(p.window(1, 1)).isEqualTo(p.window(1));
        assertThat(p.nextLimit(0, 0, 0, 1, 0.5, 0)).isEqualTo(p.nextLimit(0, 0, 0, 1));
    }
}
