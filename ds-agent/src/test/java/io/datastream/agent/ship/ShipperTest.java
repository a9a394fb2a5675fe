package io.datastream.agent.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.datastream.agent.AgentConfig;
import io.datastream.agent.batch.OutBatch;
import io.datastream.agent.batch.SendWindow;
import io.datastream.agent.checkpoint.AckedOffset;
import io.datastream.agent.checkpoint.Progress;
import io.datastream.agent.checkpoint.ProgressInbox;
import io.datastream.agent.tail.TaskParker;
import io.datastream.protocol.batch.BatchBuilder;
import io.datastream.protocol.batch.BatchSource;
import io.datastream.protocol.codec.CodecType;
import io.datastream.protocol.frame.AckStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The shipper against a scripted router: credit, re-sends, parks, GOAWAY. */
class ShipperTest {
    private final List<FakeRouter> routers = new ArrayList<>();
    private final List<String> parks = new CopyOnWriteArrayList<>();
    private final Map<Long, Long> rewinds = new HashMap<>();
    private final List<AckedOffset> acked = new CopyOnWriteArrayList<>();
    private final ProgressInbox<AckedOffset> progress = ProgressInbox.acked();
    private final BatchBuilder builder = new BatchBuilder(ByteBufAllocator.DEFAULT, 1 << 20, 10_000);
    private SendWindow window;
    private Shipper shipper;

    private final TaskParker parker = new TaskParker() {
        @Override
        public void park(String taskId, long epoch, Map<Long, Long> rewind, String error) {
            parks.add(taskId + "@" + epoch + ": " + error);
            synchronized (rewinds) {
                rewind.forEach((k, v) -> rewinds.merge(k, v, Math::min));
            }
        }

        @Override
        public void rewind(String taskId, Map<Long, Long> rewind) {
            synchronized (rewinds) {
                rewind.forEach((k, v) -> rewinds.merge(k, v, Math::min));
            }
        }
    };

    private FakeRouter router() throws Exception {
        FakeRouter r = new FakeRouter();
        routers.add(r);
        return r;
    }

    private void start(String routerList) {
        AgentConfig cfg = AgentConfig.fromYaml("id: ship-test\nhost: h\ndataDir: /tmp/unused\nhttp: {port: -1}\nrouters: [" + routerList + "]\n"
                + "send: {windowBatches: 64, backoffInitialMs: 10, backoffMaxMs: 200}\n");
        window = new SendWindow(64, 64 << 20);
        shipper = new Shipper(cfg, window, parker, List::of, System::currentTimeMillis);
        shipper.progressTo(progress::offer);
        shipper.start();
    }

    @AfterEach
    void stop() {
        if (shipper != null) {
            shipper.close();
        }
        routers.forEach(FakeRouter::close);
        builder.close();
    }

    private final Map<Long, Long> next = new HashMap<>();
    private final java.util.Random random = new java.util.Random(11);

    /** A batch of {@code lines} 100-byte lines of stream {@code stream}, continuing where its last batch ended. */
    private OutBatch batch(long stream, long epoch, int lines) {
        long start = next.getOrDefault(stream, 0L);
        builder.begin(new BatchSource("t", "ship-test", "h", "/f" + stream, stream, Map.of("ds.topic", "x")), start);
        byte[] line = new byte[99];
        for (int i = 0; i < lines; i++) {
            for (int k = 0; k < line.length; k++) {
                line[k] = (byte) ('a' + random.nextInt(26)); // compresses only a little
            }
            builder.tryAppend(line, 0, line.length, 1, 0);
        }
        ByteBuf b = builder.finish(CodecType.LZ4.create());
        next.put(stream, builder.endOffset());
        OutBatch ob = new OutBatch("t", epoch, stream, stream, 256, start, builder.endOffset(), lines, System.currentTimeMillis(), b);
        window.take(ob.size());
        return ob;
    }

    private void collectAcks() throws Exception {
        shipper.flushProgress().get(5, TimeUnit.SECONDS);
        Progress<AckedOffset> p = progress.take();
        if (p != null) {
            acked.addAll(p.items());
        }
    }

    private long ackedOffset(long stream) {
        return acked.stream().filter(a -> a.streamId() == stream).mapToLong(AckedOffset::offset).max().orElse(-1);
    }

    @Test
    void sendsOnlyWithinCreditAndAdvancesOffsetsContiguously() throws Exception {
        FakeRouter r = router();
        r.initialCredit = 3_000; // room for about one small batch at a time
        start("\"" + r.address() + "\"");
        for (int i = 0; i < 30; i++) {
            shipper.submit(batch(1, 0, 20));
            shipper.submit(batch(2, 0, 10));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> window.batches() == 0);
        collectAcks();
        assertThat(r.violations).isEmpty();
        assertThat(r.received).hasSize(60);
        assertThat(ackedOffset(1)).isEqualTo(30 * 20 * 100);
        assertThat(ackedOffset(2)).isEqualTo(30 * 10 * 100);
    }

    /** A tailer round's batches handed over together arrive in order, within credit, and are all acknowledged. */
    @Test
    void batchesHandedOverTogetherAreSentInOrderWithinCredit() throws Exception {
        FakeRouter r = router();
        r.initialCredit = 3_000; // room for about one small batch at a time: most of a group waits for credit
        start("\"" + r.address() + "\"");
        List<byte[]> order = new ArrayList<>();
        for (int round = 0; round < 10; round++) {
            List<OutBatch> group = List.of(batch(1, 0, 20), batch(2, 0, 10), batch(1, 0, 5), batch(3, 0, 10));
            group.forEach(b -> order.add(io.netty.buffer.ByteBufUtil.getBytes(b.bytes())));
            shipper.submitAll(group);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> window.batches() == 0);
        collectAcks();
        assertThat(r.violations).isEmpty();
        assertThat(r.received).hasSize(40);
        for (int i = 0; i < 40; i++) {
            assertThat(r.received.get(i).bytes()).as("batch %d in the order handed over", i).isEqualTo(order.get(i));
        }
        assertThat(ackedOffset(1)).isEqualTo(10 * 25 * 100);
        assertThat(ackedOffset(2)).isEqualTo(10 * 10 * 100);
        assertThat(ackedOffset(3)).isEqualTo(10 * 10 * 100);
    }

    /** A group handed over after the shipper closed is discarded: buffers freed, its room in the window given back. */
    @Test
    void aGroupHandedOverAfterCloseGivesItsRoomBack() throws Exception {
        FakeRouter r = router();
        start("\"" + r.address() + "\"");
        shipper.close();
        List<OutBatch> group = List.of(batch(1, 0, 10), batch(2, 0, 10));
        shipper.submitAll(group);
        assertThat(window.batches()).isZero();
        assertThat(group).allSatisfy(b -> assertThat(b.bytes().refCnt()).isZero());
        shipper = null;
    }

    @Test
    void retryLaterSendsTheSameBytesAgain() throws Exception {
        FakeRouter r = router();
        AtomicInteger n = new AtomicInteger();
        r.policy = rec -> n.incrementAndGet() == 2 ? AckStatus.RETRY_LATER : AckStatus.OK;
        start("\"" + r.address() + "\"");
        List<OutBatch> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            OutBatch b = batch(1, 0, 10);
            sent.add(b);
        }
        List<byte[]> originals = new ArrayList<>();
        for (OutBatch b : sent) {
            originals.add(io.netty.buffer.ByteBufUtil.getBytes(b.bytes()));
            shipper.submit(b);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> window.batches() == 0);
        collectAcks();
        assertThat(r.hellos).as("reconnected after RETRY_LATER").isGreaterThanOrEqualTo(2);
        assertThat(ackedOffset(1)).isEqualTo(5 * 10 * 100);
        // the batch answered RETRY_LATER arrived again, byte for byte
        byte[] retried = r.received.get(1).bytes();
        assertThat(r.received.stream().filter(x -> java.util.Arrays.equals(x.bytes(), retried)).count()).isGreaterThanOrEqualTo(2);
        assertThat(originals).anySatisfy(o -> assertThat(o).isEqualTo(retried));
        assertThat(shipper.snapshot().get().tasks().get("t").resentBatches()).isPositive();
    }

    @Test
    void rejectedParksTheTaskAndRewindsToTheFirstDroppedBatch() throws Exception {
        FakeRouter r = router();
        r.policy = rec -> null; // hold every ack
        start("\"" + r.address() + "\"");
        for (int i = 0; i < 4; i++) {
            shipper.submit(batch(1, 0, 10));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> r.received.size() == 4);
        r.ack(r.received.get(0).batchId(), AckStatus.OK);
        r.ack(r.received.get(1).batchId(), AckStatus.REJECTED);
        await().atMost(Duration.ofSeconds(10)).until(() -> parks.size() == 1);
        assertThat(parks.get(0)).startsWith("t@0: REJECTED");
        synchronized (rewinds) {
            assertThat(rewinds).containsEntry(1L, 1000L);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> window.batches() == 0);
        shipper.submit(batch(1, 0, 10)); // built before the park reached the tailer: dropped
        r.policy = rec -> AckStatus.OK;
        next.put(1L, 1000L);
        shipper.submit(batch(1, 1, 10)); // the rewound read, next epoch
        await().atMost(Duration.ofSeconds(10)).until(() -> window.batches() == 0);
        collectAcks();
        assertThat(ackedOffset(1)).isEqualTo(2000);
        assertThat(r.received).hasSize(5);
        assertThat(shipper.snapshot().get().tasks().get("t").rejected()).isEqualTo(1);
    }

    @Test
    void goAwayMovesToTheSuggestedRouterAndInFlightBatchesAreStillAcknowledged() throws Exception {
        FakeRouter a = router();
        FakeRouter b = router();
        AtomicInteger seen = new AtomicInteger();
        a.policy = rec -> seen.incrementAndGet() == 1 ? null : AckStatus.OK; // hold the first ack
        start("\"" + a.address() + "\"");
        shipper.submit(batch(1, 0, 10));
        await().atMost(Duration.ofSeconds(10)).until(() -> a.received.size() == 1);
        a.goAway(List.of(b.address()));
        shipper.submit(batch(1, 0, 10)); // may cross the GOAWAY on the wire: then router a still acks it
        a.ack(a.received.get(0).batchId(), AckStatus.OK); // in-flight batches are acknowledged after GOAWAY
        await().atMost(Duration.ofSeconds(10)).until(() -> b.hellos == 1);
        shipper.submit(batch(1, 0, 10));
        await().atMost(Duration.ofSeconds(10)).until(() -> window.batches() == 0);
        collectAcks();
        assertThat(ackedOffset(1)).isEqualTo(3000);
        assertThat(b.received).as("after the GOAWAY, new batches go to the suggested router").isNotEmpty();
        assertThat(a.received.size() + b.received.size()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aBatchOverTheRoutersLimitIsReadAgainInBatchesThatFit() throws Exception {
        FakeRouter r = router();
        r.maxBatchBytes = 1500;
        start("\"" + r.address() + "\"");
        OutBatch small = batch(1, 0, 1);
        OutBatch big = batch(1, 0, 1000); // about 60 KB compressed: over the router's 1500 bytes
        OutBatch transit = batch(1, 0, 1); // built after the big one, before the tailer went back
        shipper.submit(small);
        shipper.submit(big);
        shipper.submit(transit);
        await().atMost(Duration.ofSeconds(10)).until(() -> window.batches() == 0);
        synchronized (rewinds) {
            assertThat(rewinds).containsEntry(1L, 100L);
        }
        assertThat(parks).as("not a reason to park the task").isEmpty();
        next.put(1L, 100L);
        shipper.submit(batch(1, 0, 5)); // the re-read, cut to fit
        await().atMost(Duration.ofSeconds(10)).until(() -> window.batches() == 0);
        collectAcks();
        assertThat(ackedOffset(1)).isEqualTo(600);
        assertThat(r.received).hasSize(2);
    }

    @Test
    void snapshotsForStatusLeaveTheAcknowledgedOffsetsToTheCheckpointer() throws Exception {
        FakeRouter r = router();
        start("\"" + r.address() + "\"");
        for (int i = 0; i < 3; i++) {
            shipper.submit(batch(1, 0, 10));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> window.batches() == 0);
        ShipperSnapshot first = shipper.snapshot().get(5, TimeUnit.SECONDS);
        assertThat(first.tasks().get("t").linesAcked()).isEqualTo(30);
        assertThat(shipper.snapshot().get(5, TimeUnit.SECONDS).tasks()).isEqualTo(first.tasks());
        collectAcks(); // pushed on the shipper's timer or flushed now: the status reads took nothing
        assertThat(ackedOffset(1)).isEqualTo(3000);
    }
}
