package io.datastream.router.channel;

import io.datastream.router.credit.MemoryPool;
import io.datastream.router.event.EventFormat;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A channel in memory, bounded in bytes twice: by its own capacity and by the router's shared
 * {@link MemoryPool} (the pool agents' batches use too), so HTTP events and agent batches never
 * hold more together than the pool. Events stay until every consumer has committed them, then
 * their bytes are released and their puts are safe. Nothing survives a restart: a put is answered
 * only once it is safe downstream.
 */
public final class MemoryChannel implements Channel {
    private final String name;
    private final EventFormat format;
    private final long capacity;
    private final MemoryPool pool;
    private final Incarnation incarnation;
    private final AtomicLong used = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final ArrayDeque<PendingPut> pending = new ArrayDeque<>();
    private final List<Reader> readers = new CopyOnWriteArrayList<>();
    private Entry[] ring = new Entry[1024];
    private long headSeq;
    private long tailSeq;
    private long endPosition;
    private long putEvents;
    private volatile boolean closed;

    private record Entry(long position, byte[] data, int lineLength, long timeMillis, long cost) {
    }

    private record PendingPut(long endSeq, SafeListener listener) {
    }

    public MemoryChannel(String name, EventFormat format, long capacityBytes, MemoryPool pool) {
        this(name, format, capacityBytes, pool, Incarnation.next());
    }

    /** @param incarnation this router start, carried by every event put here */
    public MemoryChannel(String name, EventFormat format, long capacityBytes, MemoryPool pool, Incarnation incarnation) {
        this.incarnation = incarnation;
        this.name = name;
        this.format = format;
        this.capacity = capacityBytes;
        this.pool = pool;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public EventFormat format() {
        return format;
    }

    @Override
    public PutResult reserve(long bytes) {
        if (closed) {
            return PutResult.CLOSED;
        }
        while (true) {
            long u = used.get();
            if (u + bytes > capacity) {
                return PutResult.FULL;
            }
            if (used.compareAndSet(u, u + bytes)) {
                break;
            }
        }
        if (!pool.tryReserve(bytes)) {
            used.addAndGet(-bytes);
            return PutResult.FULL;
        }
        return PutResult.OK;
    }

    @Override
    public void unreserve(long bytes) {
        used.addAndGet(-bytes);
        pool.release(bytes);
    }

    @Override
    public void put(List<StoredEvent> events, long reserved, SafeListener listener) {
        long now = System.currentTimeMillis();
        long cost = 0;
        lock.lock();
        try {
            for (StoredEvent e : events) {
                if (tailSeq - headSeq == ring.length) {
                    grow();
                }
                Entry entry = new Entry(endPosition, e.data(), e.lineLength(), now, e.cost());
                ring[index(tailSeq++)] = entry;
                endPosition += e.lineLength() + 1L;
                cost += e.cost();
            }
            putEvents += events.size();
            if (cost != reserved) {
                throw new IllegalArgumentException("reserved " + reserved + " bytes for events that cost " + cost);
            }
            pending.add(new PendingPut(tailSeq, listener));
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
        if (events.isEmpty()) {
            freeCommitted();
        }
    }

    private void grow() {
        Entry[] bigger = new Entry[ring.length * 2];
        for (long s = headSeq; s < tailSeq; s++) {
            bigger[(int) (s & (bigger.length - 1))] = ring[index(s)];
        }
        ring = bigger;
    }

    private int index(long seq) {
        return (int) (seq & (ring.length - 1));
    }

    @Override
    public ChannelConsumer consumer(String consumerName) {
        lock.lock();
        try {
            Reader r = new Reader(consumerName, headSeq, headSeq == tailSeq ? endPosition : ring[index(headSeq)].position());
            readers.add(r);
            return r;
        } finally {
            lock.unlock();
        }
    }

    /** Drops the events every reader has committed and tells the puts that became safe. */
    private void freeCommitted() {
        List<SafeListener> safe = null;
        long freed = 0;
        lock.lock();
        try {
            long min = tailSeq;
            for (Reader r : readers) {
                min = Math.min(min, r.committedSeq);
            }
            while (headSeq < min) {
                int i = index(headSeq++);
                freed += ring[i].cost();
                ring[i] = null;
            }
            while (!pending.isEmpty() && pending.peek().endSeq() <= min && !readers.isEmpty()) {
                if (safe == null) {
                    safe = new ArrayList<>();
                }
                safe.add(pending.poll().listener());
            }
        } finally {
            lock.unlock();
        }
        if (freed > 0) {
            used.addAndGet(-freed);
            pool.release(freed);
        }
        if (safe != null) {
            for (SafeListener l : safe) {
                l.safe();
            }
        }
    }

    @Override
    public long usedBytes() {
        return used.get();
    }

    @Override
    public long capacityBytes() {
        return capacity;
    }

    @Override
    public long putEvents() {
        lock.lock();
        try {
            return putEvents;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long endPosition() {
        lock.lock();
        try {
            return endPosition;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "memory channel " + name;
    }

    private final class Reader implements ChannelConsumer {
        private final String name;
        private long readSeq;
        private long committedSeq;
        private long committedPosition;

        Reader(String name, long seq, long position) {
            this.name = name;
            this.readSeq = seq;
            this.committedSeq = seq;
            this.committedPosition = position;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public List<ChannelRecord> take(int maxEvents, long maxBytes, long timeout, TimeUnit unit) throws InterruptedException {
            long nanos = unit.toNanos(timeout);
            lock.lock();
            try {
                while (readSeq == tailSeq) {
                    if (nanos <= 0) {
                        return List.of();
                    }
                    nanos = notEmpty.awaitNanos(nanos);
                }
                List<ChannelRecord> out = new ArrayList<>(Math.min(maxEvents, (int) Math.min(1024, tailSeq - readSeq)));
                long bytes = 0;
                while (readSeq < tailSeq && out.size() < maxEvents) {
                    Entry e = ring[index(readSeq)];
                    if (!out.isEmpty() && bytes + e.data().length > maxBytes) {
                        break;
                    }
                    out.add(new ChannelRecord(e.position(), e.data(), e.lineLength(), e.timeMillis(), incarnation));
                    bytes += e.data().length;
                    readSeq++;
                }
                return out;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void commit(long position) {
            lock.lock();
            try {
                while (committedSeq < readSeq) {
                    Entry e = ring[index(committedSeq)];
                    long next = e.position() + e.lineLength() + 1;
                    if (next > position) {
                        break;
                    }
                    committedSeq++;
                    committedPosition = next;
                }
            } finally {
                lock.unlock();
            }
            freeCommitted();
        }

        @Override
        public void rewind() {
            lock.lock();
            try {
                readSeq = committedSeq;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public long committedPosition() {
            lock.lock();
            try {
                return committedPosition;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public long lagEvents() {
            lock.lock();
            try {
                return tailSeq - committedSeq;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public long lagBytes() {
            lock.lock();
            try {
                return endPosition - committedPosition;
            } finally {
                lock.unlock();
            }
        }
    }
}
