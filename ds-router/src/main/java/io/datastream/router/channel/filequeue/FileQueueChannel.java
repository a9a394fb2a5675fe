package io.datastream.router.channel.filequeue;

import static io.datastream.router.channel.filequeue.SegmentLayout.HEADER_BYTES;

import io.datastream.router.channel.Channel;
import io.datastream.router.channel.ChannelConsumer;
import io.datastream.router.channel.ChannelRecord;
import io.datastream.router.channel.ChannelRepair;
import io.datastream.router.channel.FsyncPolicy;
import io.datastream.router.channel.Incarnation;
import io.datastream.router.channel.PutResult;
import io.datastream.router.channel.SafeListener;
import io.datastream.router.channel.StoredEvent;
import io.datastream.router.event.EventFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A channel kept in append-only segment files written through memory mappings
 * ({@link SegmentLayout}), so that its events survive a crash and a restart of the router. Each
 * consumer (sink) has its own position, persisted atomically in {@code consumers/<name>.pos}; a
 * restart resumes each consumer at its persisted position (at-least-once: what it had done but
 * not yet persisted comes again, with the same identity, since every segment keeps the
 * incarnation that wrote it). A segment is deleted once every consumer's persisted position is
 * past it.
 *
 * <p>A put is safe by the channel's {@link FsyncPolicy}: {@code never} once written to the
 * mapping, {@code interval} after the next periodic force, {@code always} after the force that
 * follows it (the flusher thread forces for all puts waiting together). Bounded in bytes: the
 * frames of the segments on disk plus the reservations never exceed the capacity; a reservation
 * that does not fit answers FULL unless the oldest segment is held only by best-effort consumers,
 * which are then moved past it (their drops counted) so the segment can go.
 *
 * <p>On open, every segment is scanned ({@link SegmentScanner}): a torn or corrupt tail is cut
 * off, an unreadable segment deleted, a position pointing nowhere moved to the nearest valid one;
 * each repair is logged and counted ({@link #repairs}), and the channel opens anyway. Appending
 * always goes to a new segment of this start's incarnation.
 *
 * <p>Threads: puts from any thread (one lock), one thread per consumer, and one flusher thread
 * ({@code ds-router-channel-<name>-flush}) that forces, persists positions and deletes segments.
 */
public final class FileQueueChannel implements Channel {
    private static final Logger LOG = LoggerFactory.getLogger(FileQueueChannel.class);
    /** Least time between two attempts to allocate a segment file after one failed. */
    static final long RETRY_MS = 250;

    /**
     * @param dir                the channel's directory (created if missing)
     * @param capacityBytes      bound of the frames held on disk
     * @param segmentBytes       size of a segment file (a bigger event gets a segment of its own size)
     * @param fsync              when puts are forced to disk
     * @param fsyncIntervalMs    the force period of {@link FsyncPolicy#INTERVAL}
     * @param positionIntervalMs how often changed consumer positions are persisted and consumed segments deleted
     */
    public record Settings(Path dir, long capacityBytes, int segmentBytes, FsyncPolicy fsync, long fsyncIntervalMs, long positionIntervalMs) {
    }

    /** A consumer and whether the channel may drop events for it when it holds the channel full. */
    public record ConsumerSpec(String name, boolean bestEffort) {
    }

    private record PendingPut(long endPosition, SafeListener listener) {
    }

    private final String name;
    private final EventFormat format;
    private final Settings settings;
    private final Incarnation incarnation;
    private final Path consumersDir;
    private final ConcurrentSkipListMap<Long, Segment> segments;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition appended = lock.newCondition();
    private final Condition flushWanted = lock.newCondition();
    /** Segment deletion (the flusher, and reservations dropping for best-effort consumers). */
    private final ReentrantLock deletion = new ReentrantLock();
    private final ArrayDeque<PendingPut> pending = new ArrayDeque<>();
    private final List<Reader> readers = new CopyOnWriteArrayList<>();
    private final AtomicLong used = new AtomicLong();
    private final Map<ChannelRepair, AtomicLong> repairs = new EnumMap<>(ChannelRepair.class);
    private final AtomicLong repairedBytes = new AtomicLong();
    private final Thread flusher;
    /** Allocating a spare segment file (never taken while holding {@link #lock}). */
    private final ReentrantLock allocating = new ReentrantLock();
    private final AtomicLong allocations = new AtomicLong();
    private final AtomicLong segmentFailures = new AtomicLong();
    /** Since the last failure to create a segment file, until one is created again (one WARN per episode). */
    private volatile boolean cannotCreateSegments;
    private volatile long nextAttemptNanos;
    /** The last attempt to persist the positions failed (the flusher's field). */
    private boolean positionsUnwritable;
    private Segment head;
    /** The next segment's file, allocated ahead (under {@link #lock}). */
    private Segment.Allocated spare;
    /** Reserved bytes not put yet (under {@link #lock}). */
    private long unwritten;
    private volatile long endPosition;
    private volatile long endSeq;
    private volatile long putEvents;
    private volatile boolean closed;
    private volatile boolean stopped;

    private FileQueueChannel(String name, EventFormat format, Settings settings, Incarnation incarnation,
                             ConcurrentSkipListMap<Long, Segment> segments, Segment head, Map<ChannelRepair, Long> found, long foundBytes) {
        this.name = name;
        this.format = format;
        this.settings = settings;
        this.incarnation = incarnation;
        this.consumersDir = settings.dir().resolve("consumers");
        this.segments = segments;
        this.head = head;
        this.endPosition = head.basePosition;
        this.endSeq = head.baseSeq;
        for (ChannelRepair r : ChannelRepair.values()) {
            repairs.put(r, new AtomicLong(found.getOrDefault(r, 0L)));
        }
        repairedBytes.set(foundBytes);
        long frames = 0;
        for (Segment s : segments.values()) {
            frames += s.frameBytes();
        }
        used.set(frames);
        this.flusher = new Thread(this::flushLoop, "ds-router-channel-" + name + "-flush");
        this.flusher.setDaemon(true);
    }

    /**
     * Opens (or creates) the channel in {@code settings.dir()}, repairing what a crash left, with
     * its consumers at their persisted positions, and starts its flusher.
     *
     * @throws IOException when the directory cannot be read or written at all
     */
    public static FileQueueChannel open(String name, EventFormat format, Settings settings, Incarnation incarnation,
                                        List<ConsumerSpec> consumers) throws IOException {
        return open(name, format, format.configName(), settings, incarnation, consumers);
    }

    /**
     * {@link #open(String, EventFormat, Settings, Incarnation, List)} of a channel whose entries
     * are of the configured format {@code contents} ({@code json}, {@code binary}, {@code batches}):
     * recorded in the directory ({@link ChannelMeta}) and checked at every open.
     *
     * @throws IOException also when the directory holds entries of another format
     */
    public static FileQueueChannel open(String name, EventFormat format, String contents, Settings settings, Incarnation incarnation,
                                        List<ConsumerSpec> consumers) throws IOException {
        Path dir = settings.dir();
        Files.createDirectories(dir.resolve("consumers"));
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SegmentLayout.ALLOC_SUFFIX)) {
            for (Path p : ds) {
                LOG.info("channel {}: deleting {}, a segment file being allocated when the router stopped", name, p);
                Files.delete(p);
            }
        }
        TreeMap<Long, Path> files = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SegmentLayout.SUFFIX)) {
            for (Path p : ds) {
                long id = SegmentLayout.idOf(p.getFileName().toString());
                if (id >= 0) {
                    files.put(id, p);
                }
            }
        }
        ChannelMeta.check(name, dir, contents, !files.isEmpty());
        Map<ChannelRepair, Long> found = new EnumMap<>(ChannelRepair.class);
        long foundBytes = 0;
        ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
        long seq = 0;
        long end = 0;
        long nextId = 0;
        for (Map.Entry<Long, Path> f : files.entrySet()) {
            Path path = f.getValue();
            nextId = f.getKey() + 1;
            long size = Files.size(path);
            SegmentScanner.Scan scan;
            try {
                scan = scanFile(path, size);
                if (scan.header().segmentId() != f.getKey()) {
                    throw new CorruptSegmentException("header says segment " + scan.header().segmentId());
                }
                if (scan.header().basePosition() < end) {
                    throw new CorruptSegmentException("base position " + scan.header().basePosition() + " is before the end of the previous segment " + end);
                }
            } catch (CorruptSegmentException e) {
                LOG.warn("channel {}: segment {} is unreadable ({}); deleting it and its {} bytes", name, path, e.getMessage(), size);
                found.merge(ChannelRepair.BAD_SEGMENT, 1L, Long::sum);
                foundBytes += size;
                Files.delete(path);
                continue;
            }
            if (!scan.clean()) {
                LOG.warn("channel {}: segment {} has a torn or corrupt tail ({}); cutting off {} bytes after offset {} ({} events kept)", name,
                        path, scan.problem(), scan.corruptBytes(), scan.validEnd(), scan.events());
                found.merge(ChannelRepair.TORN_TAIL, 1L, Long::sum);
                foundBytes += scan.corruptBytes();
            }
            try (FileChannel fc = FileChannel.open(path, StandardOpenOption.WRITE)) {
                if (size != scan.validEnd()) {
                    fc.truncate(scan.validEnd());
                }
                if (settings.fsync() != FsyncPolicy.NEVER) {
                    fc.force(true);
                }
            }
            Segment s = Segment.sealedFromScan(path, scan, seq);
            segments.put(s.id, s);
            seq += s.events();
            end = s.endPosition();
        }
        Segment head;
        IOException noRoom = null;
        try {
            head = Segment.create(dir, nextId, end, incarnation, seq, settings.segmentBytes());
        } catch (IOException e) {
            // the disk is full: open with a segment of just its header, so that the sinks drain
            // what is held; puts answer FULL until a segment file can be allocated
            noRoom = e;
            head = Segment.create(dir, nextId, end, incarnation, seq, HEADER_BYTES);
        }
        segments.put(head.id, head);
        PositionFile.forceDirectory(dir);
        FileQueueChannel ch = new FileQueueChannel(name, format, settings, incarnation, segments, head, found, foundBytes);
        if (noRoom != null) {
            ch.segmentFailed(noRoom);
        }
        for (ConsumerSpec c : consumers) {
            ch.addReader(c);
        }
        ch.flusher.start();
        return ch;
    }

    private static SegmentScanner.Scan scanFile(Path path, long size) throws IOException, CorruptSegmentException {
        if (size > Integer.MAX_VALUE) {
            throw new CorruptSegmentException("larger than any segment (" + size + " bytes)");
        }
        try (FileChannel fc = FileChannel.open(path, StandardOpenOption.READ)) {
            MappedByteBuffer map = fc.map(FileChannel.MapMode.READ_ONLY, 0, size);
            try {
                return SegmentScanner.scan(map);
            } finally {
                Unmapper.unmap(map);
            }
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public EventFormat format() {
        return format;
    }

    /** The incarnation this start writes its segments with. */
    public Incarnation incarnation() {
        return incarnation;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Reserves room within the capacity and, on disk, in the segment being written and the spare
     * one: when they have too little, the spare segment file is allocated now, and a failure
     * (disk full) answers FULL (counted in {@link #segmentFailures()}; tried again by later
     * reservations, at most every {@value #RETRY_MS} ms).
     */
    @Override
    public PutResult reserve(long bytes) {
        while (true) {
            if (closed) {
                return PutResult.CLOSED;
            }
            long u = used.get();
            if (u + bytes > settings.capacityBytes()) {
                if (dropOldestForBestEffort()) {
                    continue;
                }
                return PutResult.FULL;
            }
            if (used.compareAndSet(u, u + bytes)) {
                break;
            }
        }
        if (!roomOnDisk(bytes)) {
            used.addAndGet(-bytes);
            return PutResult.FULL;
        }
        return PutResult.OK;
    }

    /**
     * Whether the segment being written, or else the spare, holds {@code bytes} more than what is
     * reserved and not put yet (allocating the spare when there is none); adds them to it.
     */
    private boolean roomOnDisk(long bytes) {
        lock.lock();
        try {
            if (unwritten + bytes <= head.free() || spare != null && unwritten + bytes <= spare.size - HEADER_BYTES) {
                unwritten += bytes;
                return true;
            }
        } finally {
            lock.unlock();
        }
        allocating.lock();
        try {
            lock.lock();
            try {
                // a spare that is there (made meanwhile, or too small for everything reserved): a
                // put that needs yet another segment allocates it itself
                if (spare != null || unwritten + bytes <= head.free()) {
                    unwritten += bytes;
                    return true;
                }
            } finally {
                lock.unlock();
            }
            Segment.Allocated a = allocateSpare(HEADER_BYTES + bytes);
            if (a == null) {
                return false;
            }
            lock.lock();
            try {
                if (spare == null && !stopped) {
                    spare = a;
                } else {
                    a.discard();
                }
                unwritten += bytes;
                return true;
            } finally {
                lock.unlock();
            }
        } finally {
            allocating.unlock();
        }
    }

    /**
     * Allocates a spare segment file of at least {@code minSize} bytes (under {@link #allocating});
     * null when it failed now or failed less than {@link #RETRY_MS} ago.
     */
    private Segment.Allocated allocateSpare(long minSize) {
        if (cannotCreateSegments && System.nanoTime() - nextAttemptNanos < 0) {
            return null;
        }
        int size = (int) Math.min(Integer.MAX_VALUE, Math.max(settings.segmentBytes(), minSize));
        try {
            Segment.Allocated a = Segment.allocate(settings.dir(), "spare-" + allocations.incrementAndGet(), size);
            segmentCreated();
            return a;
        } catch (IOException e) {
            segmentFailed(e);
            return null;
        }
    }

    private void segmentFailed(IOException e) {
        segmentFailures.incrementAndGet();
        nextAttemptNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_MS);
        if (!cannotCreateSegments) {
            cannotCreateSegments = true;
            LOG.warn("channel {}: cannot create a segment file in {} ({}); the channel answers FULL (HTTP 429) and tries again on "
                    + "later puts", name, settings.dir(), e.toString());
        }
    }

    private void segmentCreated() {
        if (cannotCreateSegments) {
            cannotCreateSegments = false;
            LOG.info("channel {}: segment files can be created again in {} ({} failures so far)", name, settings.dir(), segmentFailures.get());
        }
    }

    /** Times a segment file could not be created (disk full), since the channel opened. */
    @Override
    public long segmentFailures() {
        return segmentFailures.get();
    }

    /** Whether the last attempt to create a segment file failed. */
    @Override
    public boolean cannotCreateSegments() {
        return cannotCreateSegments;
    }

    @Override
    public void unreserve(long bytes) {
        used.addAndGet(-bytes);
        lock.lock();
        try {
            unwritten = Math.max(0, unwritten - bytes);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void put(List<StoredEvent> events, long reserved, SafeListener listener) {
        long now = System.currentTimeMillis();
        long written = 0;
        int n = 0;
        IOException failure = null;
        boolean safeNow = settings.fsync() == FsyncPolicy.NEVER;
        lock.lock();
        try {
            unwritten = Math.max(0, unwritten - reserved);
            for (StoredEvent e : events) {
                if (!head.fits(e.data().length)) {
                    roll(e.data().length);
                }
                written += head.append(e.data(), e.lineLength(), now);
                n++;
            }
            endPosition = head.endPosition();
            endSeq += events.size();
            putEvents += events.size();
            if (!safeNow) {
                pending.add(new PendingPut(endPosition, listener));
                if (settings.fsync() == FsyncPolicy.ALWAYS) {
                    flushWanted.signal();
                }
            }
            appended.signalAll();
        } catch (IOException e) {
            // no segment file for the rest (disk full): the events written so far stay (the
            // sinks deliver them), the put is refused and its client may send it again
            failure = e;
            endPosition = head.endPosition();
            endSeq += n;
            putEvents += n;
            appended.signalAll();
        } finally {
            lock.unlock();
        }
        used.addAndGet(written - reserved);
        if (failure != null) {
            segmentFailed(failure);
            listener.notStored();
        } else if (safeNow) {
            listener.safe();
        }
    }

    /**
     * Seals the head and starts a new segment (under the lock): the spare when there is one big
     * enough, else a file allocated now.
     */
    private void roll(int dataLength) throws IOException {
        Segment old = head;
        long need = HEADER_BYTES + (long) SegmentLayout.frameBytes(dataLength);
        Segment.Allocated a = spare;
        spare = null;
        if (a != null && a.size < need) {
            a.discard();
            a = null;
        }
        if (a == null) {
            int size = (int) Math.min(Integer.MAX_VALUE, Math.max(settings.segmentBytes(), need));
            a = Segment.allocate(settings.dir(), "next-" + allocations.incrementAndGet(), size);
            segmentCreated();
        }
        Segment next;
        try {
            next = a.activate(settings.dir(), old.id + 1, old.endPosition(), incarnation, old.baseSeq + old.events(),
                    settings.fsync() != FsyncPolicy.NEVER);
        } catch (IOException | RuntimeException e) {
            a.discard();
            throw e;
        }
        segments.put(next.id, next);
        head = next;
        old.seal();
    }


    @Override
    public ChannelConsumer consumer(String consumerName) {
        for (Reader r : readers) {
            if (r.name.equals(consumerName)) {
                return r;
            }
        }
        return addReader(new ConsumerSpec(consumerName, false));
    }

    private Reader addReader(ConsumerSpec spec) {
        PositionFile.Read read = PositionFile.read(consumersDir.resolve(spec.name() + ".pos"));
        if (read.problem() != null) {
            repaired(ChannelRepair.BAD_POSITION, 0);
            LOG.warn("channel {}: position of consumer {} is unreadable ({}); it starts again at the oldest event held", name, spec.name(),
                    read.problem());
        }
        Reader r = new Reader(spec.name(), spec.bestEffort());
        r.locate(read.present() ? read.position() : -1);
        readers.add(r);
        return r;
    }

    private void repaired(ChannelRepair kind, long bytes) {
        repairs.get(kind).incrementAndGet();
        repairedBytes.addAndGet(bytes);
    }

    @Override
    public long repairs(ChannelRepair kind) {
        return repairs.get(kind).get();
    }

    @Override
    public long repairedBytes() {
        return repairedBytes.get();
    }

    @Override
    public long usedBytes() {
        return used.get();
    }

    @Override
    public long capacityBytes() {
        return settings.capacityBytes();
    }

    @Override
    public long putEvents() {
        return putEvents;
    }

    @Override
    public long endPosition() {
        return endPosition;
    }

    /** Segment files on disk now. */
    public int segmentCount() {
        return segments.size();
    }

    @Override
    public void close() {
        closed = true;
    }

    /** Forces what is written, persists every consumer's position, stops the flusher and unmaps. */
    @Override
    public void shutdown() {
        if (stopped) {
            return;
        }
        closed = true;
        stopped = true;
        lock.lock();
        try {
            flushWanted.signalAll();
            appended.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            flusher.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
        persistPositions();
        lock.lock();
        try {
            if (spare != null) {
                spare.discard();
                spare = null;
            }
            head.seal(); // a clean stop leaves no zero padding: the next open finds the files as written
        } catch (IOException e) {
            LOG.warn("channel {}: cannot cut segment {} to its end: {}", name, head.path, e.toString());
        } finally {
            lock.unlock();
        }
        deletion.lock();
        try {
            for (Segment s : segments.values()) {
                s.release();
            }
        } finally {
            deletion.unlock();
        }
    }

    @Override
    public String toString() {
        return "file-queue channel " + name + " in " + settings.dir();
    }

    private void flushLoop() {
        long nextPositions = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.positionIntervalMs());
        while (!stopped) {
            lock.lock();
            try {
                long wait = switch (settings.fsync()) {
                    case ALWAYS -> pending.isEmpty() ? Math.max(1, nextPositions - System.nanoTime()) : 0;
                    case INTERVAL -> TimeUnit.MILLISECONDS.toNanos(settings.fsyncIntervalMs());
                    case NEVER -> Math.max(1, nextPositions - System.nanoTime());
                };
                if (wait > 0 && !stopped) {
                    flushWanted.awaitNanos(wait);
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            try {
                flush();
                prepareSpare();
                if (System.nanoTime() - nextPositions >= 0) {
                    deleteConsumed(persistPositions());
                    nextPositions = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.positionIntervalMs());
                }
            } catch (RuntimeException e) {
                LOG.error("channel {}: flusher error; trying again", name, e);
            }
        }
    }

    /**
     * Allocates the spare segment file ahead, once the segment being written is half full, so that
     * a put rarely waits for the zeros of a new file.
     */
    private void prepareSpare() {
        lock.lock();
        try {
            if (spare != null || head.free() > head.capacity() / 2 || stopped) {
                return;
            }
        } finally {
            lock.unlock();
        }
        allocating.lock();
        try {
            lock.lock();
            try {
                if (spare != null) {
                    return;
                }
            } finally {
                lock.unlock();
            }
            Segment.Allocated a = allocateSpare(0);
            if (a == null) {
                return;
            }
            lock.lock();
            try {
                if (spare == null && !stopped) {
                    spare = a;
                    a = null;
                }
            } finally {
                lock.unlock();
            }
            if (a != null) {
                a.discard();
            }
        } finally {
            allocating.unlock();
        }
    }

    /** Forces what was written (unless {@code never}) and tells the puts that became safe. */
    private void flush() {
        if (settings.fsync() == FsyncPolicy.NEVER) {
            return;
        }
        long target = endPosition;
        deletion.lock();
        try {
            for (Segment s : segments.values()) {
                if (s.forcedEnd < s.end()) {
                    s.force();
                }
            }
        } finally {
            deletion.unlock();
        }
        List<SafeListener> safe = new ArrayList<>();
        lock.lock();
        try {
            while (!pending.isEmpty() && pending.peek().endPosition() <= target) {
                safe.add(pending.poll().listener());
            }
        } finally {
            lock.unlock();
        }
        for (SafeListener l : safe) {
            l.safe();
        }
    }

    /** Persists the changed positions; false when one could not be written. */
    private boolean persistPositions() {
        deletion.lock();
        try {
            return persistPositionsLocked();
        } finally {
            deletion.unlock();
        }
    }

    private boolean persistPositionsLocked() {
        boolean all = true;
        for (Reader r : readers) {
            long c = r.committed;
            if (c != r.persisted) {
                try {
                    PositionFile.write(consumersDir.resolve(r.name + ".pos"), c);
                    r.persisted = c;
                } catch (IOException e) {
                    all = false;
                    if (!positionsUnwritable) {
                        LOG.warn("channel {}: cannot persist the position of consumer {}: {}; until positions can be written again, "
                                + "consumed segments are deleted by the committed positions (after a crash meanwhile a consumer "
                                + "restarts at the oldest event held, counted as a bad_position repair; nothing is lost)", name, r.name,
                                e.toString());
                    }
                }
            }
        }
        positionsUnwritable = !all;
        return all;
    }

    /**
     * Deletes the sealed segments every consumer's persisted position is past; by the committed
     * positions when {@code persisted} is false (a position file could not be written: the disk is
     * full, and deleting is what makes room).
     */
    private void deleteConsumed(boolean persisted) {
        if (readers.isEmpty()) {
            return;
        }
        long min = Long.MAX_VALUE;
        for (Reader r : readers) {
            min = Math.min(min, persisted ? r.persisted : r.committed);
        }
        deletion.lock();
        try {
            for (Segment s : segments.values()) {
                if (!s.sealed() || s.endPosition() > min || s.forcedEnd < s.end() && settings.fsync() != FsyncPolicy.NEVER) {
                    break;
                }
                deleteSegment(s);
            }
        } finally {
            deletion.unlock();
        }
    }

    private void deleteSegment(Segment s) {
        segments.remove(s.id);
        used.addAndGet(-s.frameBytes());
        try {
            s.delete();
        } catch (IOException e) {
            LOG.warn("channel {}: cannot delete consumed segment {}: {}", name, s.path, e.toString());
        }
    }

    /**
     * When the oldest sealed segment is held only by best-effort consumers: moves them past it
     * (counting what they lose), persists their positions and deletes it. Returns whether room
     * was made.
     */
    private boolean dropOldestForBestEffort() {
        boolean any = false;
        for (Reader r : readers) {
            any |= r.bestEffort;
        }
        if (!any) {
            return false;
        }
        deletion.lock();
        try {
            Map.Entry<Long, Segment> first = segments.firstEntry();
            Segment oldest = first == null ? null : first.getValue();
            if (oldest == null || !oldest.sealed()) {
                return false;
            }
            long end = oldest.endPosition();
            for (Reader r : readers) {
                if (r.persisted < end && !r.bestEffort) {
                    return false;
                }
            }
            Segment next = segments.higherEntry(oldest.id).getValue();
            for (Reader r : readers) {
                if (r.persisted < end) {
                    r.dropTo(next);
                    try {
                        PositionFile.write(consumersDir.resolve(r.name + ".pos"), r.committed);
                        r.persisted = r.committed;
                    } catch (IOException e) {
                        LOG.warn("channel {}: cannot persist the position of consumer {}: {}", name, r.name, e.toString());
                        return false;
                    }
                }
            }
            if (settings.fsync() != FsyncPolicy.NEVER && oldest.forcedEnd < oldest.end()) {
                oldest.force();
            }
            deleteSegment(oldest);
            return true;
        } finally {
            deletion.unlock();
        }
    }

    /** One consumer: a read cursor and a committed cursor, each (segment, offset, position, sequence). */
    private final class Reader implements ChannelConsumer {
        private final String name;
        private final boolean bestEffort;
        private final AtomicLong dropped = new AtomicLong();
        private Segment readSeg;
        private int readOff;
        private long readPos;
        private long readSeq;
        private Segment comSeg;
        private int comOff;
        private long comPos;
        private long comSeq;
        private volatile long readPosition;
        /** The committed position (read by the flusher). */
        private volatile long committed;
        /** The last position written to the position file. */
        private volatile long persisted = -1;

        Reader(String name, boolean bestEffort) {
            this.name = name;
            this.bestEffort = bestEffort;
        }

        /** Places both cursors at {@code wanted} (-1 = the oldest event held), repairing what points nowhere. */
        synchronized void locate(long wanted) {
            Segment first = segments.firstEntry().getValue();
            Segment at = first;
            int off = HEADER_BYTES;
            long pos = first.basePosition;
            long seq = first.baseSeq;
            if (wanted >= 0) {
                String problem = null;
                if (wanted < first.basePosition) {
                    problem = "is before the oldest event held (" + first.basePosition + "): the events between were deleted";
                } else {
                    for (Segment s : segments.values()) {
                        at = s;
                        off = HEADER_BYTES;
                        pos = s.basePosition;
                        seq = s.baseSeq;
                        if (wanted < s.basePosition) {
                            problem = "falls in a gap before segment " + s.id + " (a deleted segment)";
                            break;
                        }
                        if (wanted <= s.endPosition()) {
                            while (pos < wanted && off < s.end()) {
                                int len = s.frameLength(off);
                                pos += s.lineLength(off) + 1L;
                                off += SegmentLayout.FRAME_HEADER_BYTES + len;
                                seq++;
                            }
                            if (pos != wanted) {
                                problem = "is not at an event boundary; moved to " + pos;
                            }
                            break;
                        }
                    }
                    if (wanted > pos && problem == null) {
                        problem = "is beyond the end of what the channel holds (" + pos + "): events there were lost in a crash";
                    }
                }
                if (problem != null) {
                    repaired(ChannelRepair.BAD_POSITION, 0);
                    LOG.warn("channel {}: position {} of consumer {} {}; it starts at {}", FileQueueChannel.this.name, wanted, name, problem, pos);
                }
            }
            readSeg = comSeg = at;
            readOff = comOff = off;
            readPos = comPos = pos;
            readSeq = comSeq = seq;
            readPosition = pos;
            committed = pos;
            persisted = wanted == pos ? pos : -1;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public List<ChannelRecord> take(int maxEvents, long maxBytes, long timeout, TimeUnit unit) throws InterruptedException {
            long deadline = System.nanoTime() + unit.toNanos(timeout);
            while (true) {
                List<ChannelRecord> out = readAvailable(maxEvents, maxBytes);
                if (!out.isEmpty()) {
                    return out;
                }
                long nanos = deadline - System.nanoTime();
                if (nanos <= 0 || stopped) {
                    return List.of();
                }
                lock.lock();
                try {
                    while (endPosition <= readPosition && nanos > 0 && !stopped) {
                        nanos = appended.awaitNanos(nanos);
                    }
                } finally {
                    lock.unlock();
                }
            }
        }

        private synchronized List<ChannelRecord> readAvailable(int maxEvents, long maxBytes) {
            List<ChannelRecord> out = null;
            long bytes = 0;
            while (out == null || out.size() < maxEvents) {
                if (readOff >= readSeg.end()) {
                    if (!readSeg.sealed()) {
                        break;
                    }
                    if (readOff < readSeg.end()) {
                        continue; // frames came in before the seal
                    }
                    Map.Entry<Long, Segment> next = segments.higherEntry(readSeg.id);
                    if (next == null) {
                        break;
                    }
                    readSeg = next.getValue();
                    readOff = HEADER_BYTES;
                    continue;
                }
                int len = readSeg.frameLength(readOff);
                if (out != null && bytes + len > maxBytes) {
                    break;
                }
                int lineLength = readSeg.lineLength(readOff);
                if (out == null) {
                    out = new ArrayList<>(Math.min(maxEvents, 1024));
                }
                out.add(new ChannelRecord(readPos, readSeg.data(readOff), lineLength, readSeg.timeMillis(readOff), readSeg.incarnation));
                bytes += len;
                readPos += lineLength + 1L;
                readOff += SegmentLayout.FRAME_HEADER_BYTES + len;
                readSeq++;
            }
            readPosition = readPos;
            return out == null ? List.of() : out;
        }

        @Override
        public synchronized void commit(long position) {
            while (comPos < position && comSeq < readSeq) {
                if (comOff >= comSeg.end()) {
                    comSeg = segments.higherEntry(comSeg.id).getValue();
                    comOff = HEADER_BYTES;
                    continue;
                }
                int len = comSeg.frameLength(comOff);
                comPos += comSeg.lineLength(comOff) + 1L;
                comOff += SegmentLayout.FRAME_HEADER_BYTES + len;
                comSeq++;
            }
            committed = comPos;
        }

        /** Moves both cursors to the start of {@code next}, counting the events skipped. */
        synchronized void dropTo(Segment next) {
            if (comPos >= next.basePosition) {
                return;
            }
            long lost = next.baseSeq - comSeq;
            dropped.addAndGet(lost);
            LOG.warn("channel {}: best-effort consumer {} held the channel full; dropping its {} events at positions [{}, {})",
                    FileQueueChannel.this.name, name, lost, comPos, next.basePosition);
            comSeg = next;
            comOff = HEADER_BYTES;
            comPos = next.basePosition;
            comSeq = next.baseSeq;
            committed = comPos;
            if (readPos < comPos) {
                readSeg = comSeg;
                readOff = comOff;
                readPos = comPos;
                readSeq = comSeq;
                readPosition = readPos;
            }
        }

        @Override
        public synchronized void rewind() {
            readSeg = comSeg;
            readOff = comOff;
            readPos = comPos;
            readSeq = comSeq;
            readPosition = readPos;
        }

        @Override
        public long committedPosition() {
            return committed;
        }

        @Override
        public synchronized long lagEvents() {
            return endSeq - comSeq;
        }

        @Override
        public long lagBytes() {
            return endPosition - committed;
        }

        @Override
        public long droppedEvents() {
            return dropped.get();
        }
    }

    /** For tests: an unchecked wrapper of {@link #open}. */
    static FileQueueChannel openUnchecked(String name, EventFormat format, Settings settings, Incarnation incarnation,
                                          List<ConsumerSpec> consumers) {
        try {
            return open(name, format, settings, incarnation, consumers);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
