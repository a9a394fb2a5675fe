package io.datastream.router.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datastream.router.credit.MemoryPool;
import io.datastream.router.event.EventFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MemoryChannelTest {
    private static StoredEvent event(int size) {
        return new StoredEvent(new byte[size], size);
    }

    @Test
    void boundedInBytesByItsCapacityAndByTheSharedPool() {
        MemoryPool pool = new MemoryPool(10_000);
        MemoryChannel ch = new MemoryChannel("c", EventFormat.JSON, 1_000, pool);
        assertThat(ch.reserve(900)).isEqualTo(PutResult.OK);
        assertThat(ch.reserve(200)).isEqualTo(PutResult.FULL);
        assertThat(pool.used()).isEqualTo(900);
        ch.unreserve(900);
        assertThat(pool.used()).isZero();
        assertThat(pool.tryReserve(9_500)).isTrue();
        assertThat(ch.reserve(600)).isEqualTo(PutResult.FULL); // the pool is the limit now
        assertThat(ch.usedBytes()).isZero();
        ch.close();
        assertThat(ch.reserve(1)).isEqualTo(PutResult.CLOSED);
    }

    @Test
    void aPutIsSafeOnlyWhenEveryConsumerCommittedIt() throws Exception {
        MemoryPool pool = new MemoryPool(1 << 20);
        MemoryChannel ch = new MemoryChannel("c", EventFormat.JSON, 1 << 20, pool);
        ChannelConsumer a = ch.consumer("a");
        ChannelConsumer b = ch.consumer("b");
        AtomicInteger safe = new AtomicInteger();
        List<StoredEvent> events = List.of(event(10), event(20), event(30));
        long cost = events.stream().mapToLong(StoredEvent::cost).sum();
        assertThat(ch.reserve(cost)).isEqualTo(PutResult.OK);
        ch.put(events, cost, safe::incrementAndGet);
        assertThat(ch.endPosition()).isEqualTo(11 + 21 + 31);

        List<ChannelRecord> taken = a.take(2, 1 << 20, 1, TimeUnit.SECONDS);
        assertThat(taken).extracting(ChannelRecord::position).containsExactly(0L, 11L);
        a.commit(taken.get(1).nextPosition());
        assertThat(a.committedPosition()).isEqualTo(32);
        assertThat(a.lagEvents()).isEqualTo(1);
        // a rewinds and reads the rest again from its committed position
        assertThat(a.take(10, 1 << 20, 1, TimeUnit.SECONDS)).extracting(ChannelRecord::position).containsExactly(32L);
        a.rewind();
        assertThat(a.take(10, 1 << 20, 1, TimeUnit.SECONDS)).extracting(ChannelRecord::position).containsExactly(32L);
        a.commit(63);
        assertThat(safe).hasValue(0); // b has not committed
        List<ChannelRecord> all = b.take(10, 1 << 20, 1, TimeUnit.SECONDS);
        assertThat(all).hasSize(3);
        b.commit(all.get(2).nextPosition());
        assertThat(safe).hasValue(1);
        assertThat(ch.usedBytes()).isZero();
        assertThat(pool.used()).isZero();
        assertThat(b.take(10, 1 << 20, 10, TimeUnit.MILLISECONDS)).isEmpty();
    }

    @Test
    void growsPastItsInitialRingAndRefusesAWrongReservation() throws Exception {
        MemoryChannel ch = new MemoryChannel("c", EventFormat.BINARY, 1 << 24, new MemoryPool(1 << 24));
        ChannelConsumer c = ch.consumer("c");
        for (int i = 0; i < 5_000; i++) {
            StoredEvent e = event(i % 7);
            assertThat(ch.reserve(e.cost())).isEqualTo(PutResult.OK);
            ch.put(List.of(e), e.cost(), () -> { });
        }
        long pos = 0;
        int n = 0;
        List<ChannelRecord> r;
        while (!(r = c.take(777, 1 << 20, 0, TimeUnit.MILLISECONDS)).isEmpty()) {
            for (ChannelRecord x : r) {
                assertThat(x.position()).isEqualTo(pos);
                pos = x.nextPosition();
                n++;
            }
            c.commit(pos);
        }
        assertThat(n).isEqualTo(5_000);
        assertThat(ch.usedBytes()).isZero();
        assertThatThrownBy(() -> ch.put(List.of(event(1)), 1, () -> { })).isInstanceOf(IllegalArgumentException.class);
    }
}
