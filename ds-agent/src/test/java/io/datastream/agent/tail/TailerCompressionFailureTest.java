package io.datastream.agent.tail;

import static org.assertj.core.api.Assertions.assertThat;

import io.datastream.agent.AgentConfig;
import io.datastream.agent.batch.SendWindow;
import io.datastream.agent.testing.CollectingOutlet;
import io.datastream.agent.testing.LineLedger;
import io.datastream.registry.task.TaskSpec;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch whose compression fails (here: its buffer cannot be allocated, as when direct memory
 * runs out) loses nothing and is not silent: its stream is read again from the batch's start, the
 * batches of that stream read after it are dropped and read again too, every line arrives once, each
 * stream's batches still follow each other, and each failure counts as an error of the task. On the
 * tailer thread (compressionThreads 0) and on a compressing thread (1).
 */
class TailerCompressionFailureTest {
    /** Calls of directBuffer that fail (1-based): single failures, two in a row, one late. */
    private static final Set<Integer> FAILING_CALLS = Set.of(4, 9, 10, 31);

    @TempDir
    Path dir;

    /** Direct buffers from the heap-free unpooled allocator, except the calls in {@link #FAILING_CALLS}. */
    private static final class FailingAllocator extends AbstractByteBufAllocator {
        final AtomicInteger directCalls = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();

        FailingAllocator() {
            super(true);
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            return Unpooled.buffer(initialCapacity, maxCapacity);
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            if (FAILING_CALLS.contains(directCalls.incrementAndGet())) {
                failures.incrementAndGet();
                throw new OutOfMemoryError("Direct buffer memory (injected by the test)");
            }
            return Unpooled.directBuffer(initialCapacity, maxCapacity);
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }
    }

    @ParameterizedTest(name = "compressionThreads {0}")
    @ValueSource(ints = {0, 1})
    void aFailedCompressionIsReadAgainAndCountedAsAnErrorOfItsTask(int threads) throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        AgentConfig config = AgentConfig.fromYaml(TailerFixture.merge(TailerFixture.FAST_TIMINGS + "dataDir: " + dir.resolve("data") + "\n",
                "batch: {maxBytes: 4096, compressionThreads: " + threads + "}\n"));
        SendWindow window = new SendWindow(config.send().windowBatches(), config.send().windowBytes());
        LineLedger ledger = new LineLedger();
        CollectingOutlet outlet = new CollectingOutlet(window, ledger);
        FailingAllocator allocator = new FailingAllocator();
        long[] now = {1_000_000};
        List<String> written = new ArrayList<>();
        List<Path> files = List.of(logs.resolve("a.log"), logs.resolve("b.log"));
        TaskSpec spec = new TaskSpec("app", List.of(logs + "/*.log"), null, "logs", null, null, null, null, null, null, "lz4", null, null,
                null);
        Tailer tailer = new Tailer(config, outlet, window, List.of(), () -> now[0], allocator,
                new RecordReader(config.files().readBufferBytes()));
        tailer.setTasks(Map.of("app", spec));
        written.addAll(TailerFixture.writeLines(files, 2_000));
        TailerFixture.scan(tailer, spec, files);
        TaskReport report = TailerFixture.driveUntilDelivered(tailer, now, ledger, written, 2_000, "app");
        assertThat(allocator.failures.get()).as("the injected failures happened").isEqualTo(FAILING_CALLS.size());
        ledger.assertExactlyOnceAfterDedup(written);
        assertThat(ledger.duplicates()).as("a failed batch's lines are sent once, after it is read again").isZero();
        assertThat(outlet.gaps()).as("each stream's batches follow each other").isEmpty();
        assertThat(report.errors()).as("each failure is an error of the task").isEqualTo(FAILING_CALLS.size());
        assertThat(report.lastError()).contains("compressing a batch of").contains("reading it again from offset");
    }
}
