package io.datastream.agent.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.datastream.agent.batch.OutBatch;
import io.datastream.agent.checkpoint.AckedOffset;
import io.datastream.agent.checkpoint.MinuteCounts;
import io.datastream.agent.checkpoint.Progress;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ledger driven message by message on the test's thread, with a manual clock. */
class StreamLedgerTest {
    private final List<LedgerOut> out = new ArrayList<>();
    private final StreamLedger ledger = new StreamLedger(out::add);
    private final List<OutBatch> built = new ArrayList<>();
    private final Map<String, Long> next = new HashMap<>();
    /** The manual clock: batch creation and send times. */
    private long now = 1_000_000 * 60_000L;

    /** A batch of {@code lines} 10-byte lines of {@code task}'s stream, continuing where its last batch ended. */
    private OutBatch batch(String task, long epoch, long stream, int lines) {
        long start = next.getOrDefault(task + stream, 0L);
        long end = start + lines * 10L;
        next.put(task + stream, end);
        OutBatch b = new OutBatch(task, epoch, stream, stream, 256, start, end, lines, now, Unpooled.buffer(8).writeLong(start));
        built.add(b);
        return b;
    }

    private StreamLedger.Entry send() {
        StreamLedger.Entry e = ledger.nextToSend();
        ledger.sent(e, now);
        return e;
    }

    private List<OutBatch> ended(Class<? extends LedgerOut> kind) {
        List<OutBatch> l = new ArrayList<>();
        for (LedgerOut o : out) {
            if (kind.isInstance(o)) {
                l.add(o instanceof LedgerOut.Acked a ? a.batch() : ((LedgerOut.Discarded) o).batch());
            }
        }
        return l;
    }

    @AfterEach
    void everyBatchEndsOnce() {
        ledger.discardAll();
        List<OutBatch> ends = new ArrayList<>(ended(LedgerOut.Acked.class));
        ends.addAll(ended(LedgerOut.Discarded.class));
        assertThat(ends).as("each batch acknowledged or dropped exactly once").containsExactlyInAnyOrderElementsOf(built);
        built.forEach(OutBatch::release);
    }

    @Test
    void outOfOrderAcksMoveTheOffsetOnlyPastAPrefixWithTheirCounts() {
        ledger.submit(batch("t", 0, 1, 1));
        ledger.submit(batch("t", 0, 1, 2));
        ledger.submit(batch("t", 0, 1, 3));
        StreamLedger.Entry first = send();
        StreamLedger.Entry second = send();
        StreamLedger.Entry third = send();
        ledger.acked(third);
        assertThat(ledger.hasProgress()).as("the offset cannot pass the first two").isFalse();
        ledger.acked(first);
        Progress<AckedOffset> p = ledger.takeProgress();
        assertThat(p.items()).containsExactly(new AckedOffset("t", 1, 1, 256, 10));
        assertThat(p.counts()).containsExactly(MinuteCounts.acked("t", now / 60_000, 1, 10));
        ledger.acked(second);
        p = ledger.takeProgress();
        assertThat(p.items()).containsExactly(new AckedOffset("t", 1, 1, 256, 60));
        assertThat(p.counts()).as("the third is counted with the offset that passes it").containsExactly(MinuteCounts.acked("t", now / 60_000, 5, 50));
        assertThat(ledger.takeProgress().items()).as("taken once").isEmpty();
        assertThat(ended(LedgerOut.Acked.class)).extracting(OutBatch::records).containsExactly(3, 1, 2);
        assertThat(ledger.snapshot().tasks().get("t")).satisfies(t -> {
            assertThat(t.batchesAcked()).isEqualTo(3);
            assertThat(t.linesAcked()).isEqualTo(6);
            assertThat(t.unackedBytes()).isZero();
        });
    }

    @Test
    void aRejectionWithBatchesInFlightParksTheTaskAndRewindsEachStreamToItsFirstDroppedBatch() {
        ledger.submit(batch("t", 0, 1, 1)); // [0, 10)
        ledger.submit(batch("t", 0, 1, 1)); // [10, 20)
        ledger.submit(batch("t", 0, 2, 1)); // stream 2 [0, 10)
        ledger.submit(batch("t", 0, 1, 1)); // [20, 30), still queued
        ledger.submit(batch("u", 0, 1, 1)); // another task: untouched
        StreamLedger.Entry a = send();
        StreamLedger.Entry b = send();
        send();
        ledger.acked(a);
        ledger.reject(b, "INVALID_BATCH: bad");
        assertThat(out).contains(new LedgerOut.Park("t", 0, Map.of(1L, 10L, 2L, 0L), "REJECTED INVALID_BATCH: bad"));
        assertThat(ended(LedgerOut.Discarded.class)).extracting(OutBatch::startOffset).containsExactlyInAnyOrder(10L, 0L, 20L);
        assertThat(ledger.inFlightCount()).isZero();
        assertThat(ledger.nextToSend().batch().taskId()).isEqualTo("u");
        assertThat(ledger.takeProgress().items()).containsExactly(new AckedOffset("t", 1, 1, 256, 10));

        int mark = out.size();
        OutBatch late = batch("t", 0, 1, 1); // built before the park reached the tailer
        assertThat(ledger.submit(late)).isFalse();
        assertThat(out.subList(mark, out.size())).containsExactly(new LedgerOut.Rewind("t", Map.of(1L, 30L)), new LedgerOut.Discarded(late));
        next.put("t1", 10L);
        assertThat(ledger.submit(batch("t", 1, 1, 2))).as("the rewound read, next epoch").isTrue();
        send();
        ledger.acked(send());
        assertThat(ledger.takeProgress().items()).containsExactly(new AckedOffset("t", 1, 1, 256, 30));
        assertThat(ledger.snapshot().tasks().get("t")).satisfies(t -> {
            assertThat(t.rejected()).isEqualTo(1);
            assertThat(t.lastError()).isEqualTo("REJECTED INVALID_BATCH: bad");
        });
    }

    @Test
    void aReconnectSendsTheUnacknowledgedBatchesAgainInOrderWithNewIds() {
        for (int i = 0; i < 3; i++) {
            ledger.submit(batch("t", 0, 1, 1));
        }
        StreamLedger.Entry first = send();
        now += 1_000;
        StreamLedger.Entry second = send();
        StreamLedger.Entry third = send();
        ledger.acked(second);
        assertThat(ledger.oldestInFlight()).isSameAs(first);
        assertThat(now - ledger.oldestInFlight().sentAtMillis()).as("what the ack timeout looks at").isEqualTo(1_000);
        long oldId = first.batchId();
        ledger.disconnected();
        assertThat(ledger.inFlight(oldId)).as("an old connection's ack finds nothing").isNull();
        assertThat(ledger.queuedCount()).isEqualTo(2);
        assertThat(send()).isSameAs(first);
        assertThat(send()).isSameAs(third);
        assertThat(first.batchId()).isNotEqualTo(oldId);
        assertThat(ledger.snapshot().tasks().get("t").resentBatches()).isEqualTo(2);
        assertThat(ledger.snapshot().tasks().get("t").batchesSent()).isEqualTo(5);
        ledger.acked(third);
        ledger.acked(first);
        assertThat(ledger.takeProgress().items()).containsExactly(new AckedOffset("t", 1, 1, 256, 30));
    }

    @Test
    void retryLaterFromALeavingRouterPutsTheBatchBackInSubmissionOrder() {
        for (int i = 0; i < 3; i++) {
            ledger.submit(batch("t", 0, 1, 1));
        }
        StreamLedger.Entry first = send();
        send();
        ledger.sendAgainLater(first);
        assertThat(ledger.nextToSend()).isSameAs(first);
        assertThat(ledger.queuedCount()).isEqualTo(2);
        assertThat(ledger.inFlightCount()).isEqualTo(1);
    }

    @Test
    void aBatchTooLargeDropsTheRestOfItsStreamUntilTheReReadArrives() {
        ledger.submit(batch("t", 0, 1, 1));
        ledger.submit(batch("t", 0, 1, 50)); // [10, 510): too large
        ledger.submit(batch("t", 0, 1, 1)); // built after it
        ledger.submit(batch("t", 0, 2, 1));
        ledger.acked(send());
        ledger.tooLarge(ledger.nextToSend());
        assertThat(out).contains(new LedgerOut.Rewind("t", Map.of(1L, 10L)));
        assertThat(ledger.nextToSend().batch().streamId()).isEqualTo(2);
        OutBatch transit = batch("t", 0, 1, 1); // [520, 530): built before the tailer went back
        assertThat(ledger.submit(transit)).isFalse();
        next.put("t1", 10L);
        assertThat(ledger.submit(batch("t", 0, 1, 5))).isTrue();
        assertThat(ledger.snapshot().tasks().get("t").rejected()).as("not a rejection").isZero();
    }

    @Test
    void aRemovedTaskIsForgottenOnceItsLastBatchIsDoneAndStartsAfreshWhenAddedAgain() {
        ledger.submit(batch("a", 0, 1, 1));
        ledger.submit(batch("b", 0, 1, 1));
        StreamLedger.Entry a = send();
        ledger.reject(send(), "x"); // b parked at epoch 0
        ledger.retainTasks(Set.of());
        assertThat(ledger.snapshot().tasks()).as("removed tasks leave the status").isEmpty();
        assertThat(ledger.inFlightCount()).as("a removed task's batches still go out").isEqualTo(1);
        ledger.acked(a);
        assertThat(ledger.takeProgress().items()).containsExactly(new AckedOffset("a", 1, 1, 256, 10));

        ledger.retainTasks(Set.of("b"));
        next.clear();
        OutBatch again = batch("b", 0, 1, 1); // the task added again: the tailer starts at epoch 0
        assertThat(ledger.submit(again)).as("the old park does not hold the new task").isTrue();
        assertThat(ledger.snapshot().tasks().get("b")).satisfies(t -> {
            assertThat(t.rejected()).isZero();
            assertThat(t.batchesSent()).isZero();
            assertThat(t.unackedBytes()).isEqualTo(10);
            assertThat(t.oldestUnackedMillis()).isEqualTo(now);
        });
    }

    @Test
    void snapshotsChangeNothing() {
        ledger.submit(batch("t", 0, 1, 1));
        ledger.acked(send());
        LedgerSnapshot one = ledger.snapshot();
        assertThat(ledger.snapshot()).isEqualTo(one);
        assertThat(ledger.hasProgress()).isTrue();
        assertThat(ledger.takeProgress().items()).hasSize(1);
        assertThat(ledger.snapshot()).as("taking progress does not touch the counters").isEqualTo(one);
    }
}
