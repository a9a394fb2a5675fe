package io.datastream.agent.tail;

import static org.assertj.core.api.Assertions.assertThat;

import io.datastream.agent.AgentConfig;
import io.datastream.agent.batch.OutBatch;
import io.datastream.agent.batch.SendWindow;
import io.datastream.agent.testing.CollectingOutlet;
import io.datastream.agent.testing.LineLedger;
import io.datastream.registry.task.TaskSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batches compressed off the tailer thread (batch.compressionThreads 1) come out as they do on it
 * (0): the same batches of each stream, in each stream's order, with the same lines, each line once.
 * The tailer is stepped with {@link Tailer#doWork} and a manual clock; with a thread, a round of four
 * files wants more builders than the pool has (3), so reading stops until batches come back, and the
 * rounds run ahead of the compressing thread until the test waits for it.
 */
class TailerCompressionTest {
    @TempDir
    Path dir;

    /** What one run delivered: per stream (its id), its batches as "[start, end) records", in order; and the lines. */
    private record Run(Map<String, List<String>> batchesByStream, List<String> lines, LineLedger ledger, List<String> gaps) {
    }

    private Run run(int threads) throws Exception {
        Path base = Files.createDirectories(dir.resolve("t" + threads));
        Path logs = Files.createDirectories(base.resolve("logs"));
        AgentConfig config = AgentConfig.fromYaml(TailerFixture.merge(TailerFixture.FAST_TIMINGS + "dataDir: " + base.resolve("data") + "\n",
                "batch: {maxBytes: 4096, compressionThreads: " + threads + "}\n"));
        assertThat(config.batch().compressionThreads()).isEqualTo(threads);
        SendWindow window = new SendWindow(config.send().windowBatches(), config.send().windowBytes());
        LineLedger ledger = new LineLedger();
        CollectingOutlet outlet = new CollectingOutlet(window, ledger);
        long[] now = {1_000_000};
        List<String> written = new ArrayList<>();
        List<Path> files = List.of(logs.resolve("a.log"), logs.resolve("b.log"), logs.resolve("c.log"), logs.resolve("d.log"));
        TaskSpec spec = new TaskSpec("app", List.of(logs + "/*.log"), null, "logs", null, null, null, null, null, null, "lz4", null, null,
                null);
        Tailer tailer = new Tailer(config, outlet, window, List.of(), () -> now[0]);
        try {
            tailer.setTasks(Map.of("app", spec));
            written.addAll(TailerFixture.writeLines(files, 3_000)); // about 40 batches of 4 KiB per file
            TailerFixture.scan(tailer, spec, files);
            for (int round = 0; round < 2_000 && !ledger.missing(written).isEmpty(); round++) {
                now[0] += 10;
                tailer.doWork(now[0]);
                if (round % 50 == 49) {
                    tailer.awaitCompressed(); // the rounds in between ran ahead of the compressing thread
                }
            }
            tailer.awaitCompressed();
        } finally {
            tailer.close();
        }
        Map<String, List<String>> byStream = new LinkedHashMap<>();
        for (OutBatch out : outlet.submitted) { // the files' contents are the same in both runs, so are their stream ids
            byStream.computeIfAbsent(Long.toHexString(out.streamId()), k -> new ArrayList<>())
                    .add("[" + out.startOffset() + ", " + out.endOffset() + ") " + out.records());
        }
        return new Run(byStream, written, ledger, outlet.gaps());
    }

    @Test
    void batchesCompressedOnAThreadAreTheSameAsOnTheTailerThreadInEachStreamsOrder() throws Exception {
        Run inline = run(0);
        Run pooled = run(1);
        for (Run r : List.of(inline, pooled)) {
            assertThat(r.gaps()).as("each stream's batches follow each other").isEmpty();
            r.ledger().assertExactlyOnceAfterDedup(r.lines());
            assertThat(r.ledger().duplicates()).isZero();
            assertThat(r.batchesByStream()).hasSize(4);
            assertThat(r.batchesByStream().values()).allSatisfy(batches -> assertThat(batches).hasSizeGreaterThan(20));
        }
        assertThat(pooled.batchesByStream()).isEqualTo(inline.batchesByStream());
        assertThat(pooled.ledger().contents()).isEqualTo(inline.ledger().contents());
    }
}
