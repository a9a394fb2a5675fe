package io.datastream.agent.tail;

import static org.assertj.core.api.Assertions.assertThat;

import io.datastream.agent.AgentConfig;
import io.datastream.agent.batch.SendWindow;
import io.datastream.agent.testing.CollectingOutlet;
import io.datastream.agent.testing.LineLedger;
import io.datastream.registry.task.TaskSpec;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A read that fails part-way with an unexpected exception (here: thrown by the test while the
 * reader hands its records over, after some records of the batch were cut) loses nothing and is not
 * silent: the records cut are not sent, the stream is read again from where the failed read began,
 * every line arrives once and is counted as read once, each stream's batches follow each other, and
 * each failure counts as an error of the task. On the tailer thread (compressionThreads 0) and with
 * a compressing thread (1).
 */
class TailerReadFailureTest {
    /** Records offered to a batch (1-based, over the whole run) at which the read throws: single failures, two in a row, one late. */
    private static final Set<Integer> FAILING_OFFERS = Set.of(50, 900, 901, 3_000);

    @TempDir
    Path dir;

    /** Throws at the offers in {@link #FAILING_OFFERS}, after the records before them in the read were cut. */
    private static final class FailingReader extends RecordReader {
        final AtomicInteger offers = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();

        FailingReader(int readBufferBytes) {
            super(readBufferBytes);
        }

        @Override
        public Outcome read(FileChannel channel, StreamCursor cursor, LineRules lineRules, RecordSink recordSink, long budget,
                            boolean finalFlush, boolean timeoutFlush, long nowMillis) throws IOException {
            RecordSink failing = (buf, index, length, gap) -> {
                if (FAILING_OFFERS.contains(offers.incrementAndGet())) {
                    failures.incrementAndGet();
                    throw new IllegalStateException("injected by the test");
                }
                return recordSink.accept(buf, index, length, gap);
            };
            return super.read(channel, cursor, lineRules, failing, budget, finalFlush, timeoutFlush, nowMillis);
        }
    }

    @ParameterizedTest(name = "compressionThreads {0}")
    @ValueSource(ints = {0, 1})
    void aFailedReadIsReadAgainCountedOnceAndAnErrorOfItsTask(int threads) throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        AgentConfig config = AgentConfig.fromYaml(TailerFixture.merge(TailerFixture.FAST_TIMINGS + "dataDir: " + dir.resolve("data") + "\n",
                "batch: {maxBytes: 4096, compressionThreads: " + threads + "}\n"));
        SendWindow window = new SendWindow(config.send().windowBatches(), config.send().windowBytes());
        LineLedger ledger = new LineLedger();
        CollectingOutlet outlet = new CollectingOutlet(window, ledger);
        FailingReader reader = new FailingReader(config.files().readBufferBytes());
        long[] now = {1_000_000};
        List<String> written = new ArrayList<>();
        List<Path> files = List.of(logs.resolve("a.log"), logs.resolve("b.log"));
        TaskSpec spec = new TaskSpec("app", List.of(logs + "/*.log"), null, "logs", null, null, null, null, null, null, "lz4", null, null,
                null);
        Tailer tailer = new Tailer(config, outlet, window, List.of(), () -> now[0], io.netty.buffer.ByteBufAllocator.DEFAULT, reader);
        tailer.setTasks(Map.of("app", spec));
        written.addAll(TailerFixture.writeLines(files, 2_000));
        TailerFixture.scan(tailer, spec, files);
        // a failed file is opened again after 5 s: 10 ms per round leaves room for every failure
        TaskReport report = TailerFixture.driveUntilDelivered(tailer, now, ledger, written, 5_000, "app");
        assertThat(reader.failures.get()).as("the injected failures happened").isEqualTo(FAILING_OFFERS.size());
        ledger.assertExactlyOnceAfterDedup(written);
        assertThat(ledger.duplicates()).as("the records cut by a failed read are sent once, after they are read again").isZero();
        assertThat(outlet.gaps()).as("each stream's batches follow each other").isEmpty();
        assertThat(report.linesRead()).as("lines read again after a failure are counted once").isEqualTo(written.size());
        assertThat(report.errors()).as("each failure is an error of the task").isEqualTo(FAILING_OFFERS.size());
        assertThat(report.lastError()).contains("reading ").contains("failed (java.lang.IllegalStateException: injected by the test)");
    }
}
