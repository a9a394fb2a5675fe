package io.datastream.agent.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.datastream.agent.batch.BatchOutlet;
import io.datastream.agent.batch.OutBatch;
import io.datastream.agent.batch.SendWindow;
import io.datastream.protocol.ProtocolLimits;
import io.datastream.protocol.batch.Batch;
import io.datastream.protocol.batch.RecordCursor;
import io.datastream.protocol.codec.CodecSet;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A batch outlet that parses every batch like a router would, records its lines in a ledger,
 * checks that each stream's batches are contiguous, and acknowledges at once (or holds them
 * while {@link #hold} is set). Called on the tailer thread.
 */
public final class CollectingOutlet implements BatchOutlet {
    private final SendWindow window;
    private final LineLedger ledger;
    private final CodecSet codecs = new CodecSet();
    private final Map<String, Long> nextOffset = new ConcurrentHashMap<>();
    private final List<String> gaps = new ArrayList<>();
    private final List<Batch> parsedHeaders = new ArrayList<>();
    private final List<OutBatch> held = new ArrayList<>();
    private final Map<String, LineLedger> byTask = new ConcurrentHashMap<>();
    public volatile boolean hold;
    public volatile int batches;
    /** Every batch submitted, in order (its bytes are released once delivered; its fields stay). */
    public final List<OutBatch> submitted = new java.util.concurrent.CopyOnWriteArrayList<>();

    public CollectingOutlet(SendWindow window, LineLedger ledger) {
        this.window = window;
        this.ledger = ledger;
    }

    @Override
    public synchronized void submit(OutBatch b) {
        submitted.add(b);
        if (hold) {
            held.add(b);
            return;
        }
        deliver(b);
    }

    private void deliver(OutBatch b) {
        try {
            Batch batch = Batch.parse(b.bytes(), ProtocolLimits.DEFAULT);
            assertThat(batch.fingerprint()).isEqualTo(b.streamId());
            assertThat(batch.startOffset()).isEqualTo(b.startOffset());
            String key = batch.taskId() + "/" + Long.toHexString(batch.fingerprint());
            Long expected = nextOffset.get(key);
            if (expected != null && expected != batch.startOffset()) {
                gaps.add(key + ": expected " + expected + ", got " + batch.startOffset());
            }
            nextOffset.put(key, batch.endOffset());
            synchronized (parsedHeaders) {
                if (parsedHeaders.size() < 10_000) {
                    parsedHeaders.add(batch);
                }
            }
            try (RecordCursor c = batch.openRecords(codecs, UnpooledByteBufAllocator.DEFAULT)) {
                while (c.next()) {
                    byte[] content = c.contentBytes();
                    ledger.add(batch.taskId(), batch.agentId(), batch.fingerprint(), c.offset(), content);
                    byTask.computeIfAbsent(batch.taskId(), k -> new LineLedger()).add(batch.taskId(), batch.agentId(), batch.fingerprint(),
                            c.offset(), content);
                }
            }
            batches++;
        } catch (Exception e) {
            throw new AssertionError("bad batch " + b + ": " + e, e);
        } finally {
            b.release();
            window.give(b.size());
        }
    }

    /** Delivers what was held and stops holding. */
    public synchronized void release() {
        hold = false;
        for (OutBatch b : held) {
            deliver(b);
        }
        held.clear();
    }

    /** Drops what was held (as if a router never acknowledged it) and gives the window back. */
    public synchronized List<OutBatch> dropHeld() {
        List<OutBatch> out = new ArrayList<>(held);
        for (OutBatch b : held) {
            b.release();
            window.give(b.size());
        }
        held.clear();
        return out;
    }

    /** The lines of one task's batches only (identities within a task). */
    public LineLedger ledger(String taskId) {
        return byTask.computeIfAbsent(taskId, k -> new LineLedger());
    }

    /** Headers of the first batches parsed. */
    public List<Batch> parsedBatches() {
        synchronized (parsedHeaders) {
            return new ArrayList<>(parsedHeaders);
        }
    }

    public synchronized List<String> gaps() {
        return new ArrayList<>(gaps);
    }

    /** Next expected offset per "task/streamId hex", i.e. what was delivered contiguously. */
    public Map<String, Long> delivered() {
        return Map.copyOf(nextOffset);
    }
}
