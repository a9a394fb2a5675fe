package io.datastream.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.datastream.agent.Agent;
import io.datastream.agent.AgentConfig;
import io.datastream.agent.testing.KafkaLines;
import io.datastream.agent.testing.LogWriter;
import io.datastream.agent.testing.RouterAndKafka;
import io.datastream.registry.member.TaskStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Debian's logrotate itself ({@code /usr/sbin/logrotate -f -s state conf}) rotating a log that a
 * writer thread fills like nginx (it reopens its file when the postrotate script asks, as nginx
 * does on USR1), many times faster than the agent's discovery interval, against a real router and
 * Kafka. Every line is read back from the topic by identity.
 */
class LogrotateIT {
    private static final Logger LOG = LoggerFactory.getLogger(LogrotateIT.class);
    private static final AtomicInteger TOPICS = new AtomicInteger();
    private static final int GENERATIONS = 30;
    private static final int CHUNKS = 10;
    private static final int CHUNK_LINES = 50;

    @RegisterExtension
    static final RouterAndKafka RUNNING = new RouterAndKafka("r1");

    @TempDir
    Path dir;

    /** (a) create + compress + delaycompress, glob *.log (misses access.log.1): nothing lost, nothing dropped. */
    @Test
    void createModeWithCompressionAndAGlobThatMissesTheRotatedNames() throws Exception {
        try (Result r = rotate("*.log", """
                create 0644
                compress
                delaycompress
                """, true, GENERATIONS, "")) {
            r.lines.ledger().assertExactlyOnceAfterDedup(r.written);
            assertThat(r.status.droppedBytesByReason()).isEmpty();
            assertThat(r.status.droppedBytes()).isZero();
        }
    }

    /** (b) the same with *.log*: access.log.1 is read (the same streams), every .gz is skipped and counted once. */
    @Test
    void createModeWithCompressionAndAGlobThatMatchesTheRotatedNames() throws Exception {
        try (Result r = rotate("*.log*", """
                create 0644
                compress
                delaycompress
                """, true, GENERATIONS, "")) {
            r.lines.ledger().assertExactlyOnceAfterDedup(r.written);
        assertThat(r.lines.ledger().contents()).as("no gzip bytes").allSatisfy(c -> assertThat(c).startsWith("2024-05-01T12:00:00."));
        assertThat(r.lines.corrupt()).isZero();
        long gz;
        try (Stream<Path> s = Files.list(r.logs)) {
            gz = s.filter(p -> p.toString().endsWith(".gz")).mapToLong(LogrotateIT::size).sum();
        }
        assertThat(gz).isPositive();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(r.agent.status().tasks().get("app").droppedBytesByReason()).containsExactly(java.util.Map.entry("compressed", gz)));
        }
    }

    /** (c) copytruncate (+ delaycompress), glob *.log, the agent throttled so truncations cut bytes it has not read: the copies are found. */
    @Test
    void copytruncateWithAGlobThatMissesTheCopies() throws Exception {
        try (Result r = rotate("*.log", """
                copytruncate
                compress
                delaycompress
                """, false, 8, "    rateLimitBytesPerSec: 20000\n")) {
            r.lines.ledger().assertExactlyOnceAfterDedup(r.written);
            assertThat(r.status.droppedBytesByReason()).isEmpty();
        }
    }

    private record Result(List<String> written, KafkaLines lines, TaskStatus status, Agent agent, Path logs) implements AutoCloseable {
        @Override
        public void close() {
            lines.close();
            agent.close();
        }
    }

    private Result rotate(String glob, String mode, boolean reopen, int generations, String taskExtra) throws Exception {
        String topic = "logrotate-" + TOPICS.incrementAndGet();
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path log = logs.resolve("access.log");
        Path flag = dir.resolve("reopen.flag");
        Path conf = dir.resolve("logrotate.conf");
        Files.writeString(conf, log + " {\n" + mode
                + "    rotate 1000\n    missingok\n    ifempty\n    sharedscripts\n"
                + (reopen ? "    postrotate\n        touch " + flag + "\n    endscript\n" : "")
                + "}\n");
        Files.createFile(log); // EMPTY when the agent starts
        String yaml = AgentYaml.base("lr-agent", dir.resolve("data"), "\"127.0.0.1:" + RUNNING.router().port() + "\"")
                .replace("discovery: {intervalMs: 300}", "discovery: {intervalMs: 10000}")
                // copytruncate: small reads, so that the rate limit leaves most of each generation unread at its truncation
                .replace("files: {", reopen ? "files: {" : "files: {readBufferBytes: 4096, ")
                + "tasks:\n" + AgentYaml.task("app", logs + "/" + glob, topic) + taskExtra;
        Agent agent = Agent.start(AgentConfig.fromYaml(yaml));
        KafkaLines k = RUNNING.cluster().lines(topic);
        boolean ok = false;
        try (NginxLikeWriter w = new NginxLikeWriter(log, flag, "gen")) {
            long started = System.nanoTime();
            for (int g = 0; g < generations; g++) {
                int first = w.requested();
                if (reopen) {
                    // create mode: the agent has seen the new file while it is EMPTY (as with nginx); then it is
                    // written and rotated away at once, while the writer is still writing to it. (A file created
                    // and renamed out of the globs before any scan lists it cannot be known: docs/agent.md.)
                    try {
                        long ino = ((Number) Files.getAttribute(log, "unix:ino")).longValue(); // the file logrotate just created
                        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(2)).until(() -> agent.files().stream()
                                .anyMatch(f -> f.inode() == ino && f.size() == 0));
                    } catch (org.awaitility.core.ConditionTimeoutException e) {
                        try (Stream<Path> ls = Files.list(logs)) {
                            throw new AssertionError("generation " + g + ": the agent never listed the new empty " + log + "; it follows "
                                    + agent.files() + "; the directory holds " + ls.map(p -> p.getFileName() + "=" + size(p)).toList(), e);
                        }
                    }
                }
                // lines of the last generation still queued go to the rotated file, as with nginx; the reopen is done
                // before this generation's rotation (else the writer would fill the next new file before the agent saw it empty)
                w.awaitDone(w.reopenIfAsked());
                for (int c = 0; c < CHUNKS; c++) {
                    w.write(CHUNK_LINES);
                }
                if (!reopen) {
                    // copytruncate: the agent has started on this generation (the rate limit keeps most of it
                    // unread); nothing is written between the copy and the truncation (that loss is inherent)
                    String mark = w.line(first + CHUNK_LINES);
                    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5)).until(() -> k.poll().ledger().contents().contains(mark));
                    w.awaitIdle();
                }
                logrotate(conf);
            }
            w.awaitIdle();
            LOG.info("{} rotations of {} lines each in {} ms (discovery.intervalMs 10000)", generations, CHUNKS * CHUNK_LINES,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            List<String> written = w.written();
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> assertThat(k.poll().ledger().missing(written)).isEmpty());
            // the status is built from the reports of the last checkpoint tick: the lines may be delivered before it
            TaskStatus st = await().atMost(Duration.ofSeconds(10)).until(() -> agent.status().tasks().get("app"), java.util.Objects::nonNull);
            LOG.info("glob {}: {} lines written, {} distinct identities in Kafka, {} deliveries; drops {}", glob, written.size(),
                    k.ledger().distinctLines(), k.ledger().deliveries(), st.droppedBytesByReason());
            ok = true;
            return new Result(written, k, st, agent, logs);
        } finally {
            if (!ok) {
                k.close();
                agent.close();
            }
        }
    }

    private void logrotate(Path conf) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/usr/sbin/logrotate", "-f", "-s", dir.resolve("logrotate.state").toString(), conf.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("logrotate: %s", out).isZero();
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Writes chunks of lines on its own thread, like a web server: to one append-mode handle that it
     * reopens (at the path, i.e. the file logrotate created) when the postrotate script has touched
     * the flag file, as nginx does on USR1. Lines written before it notices go to the renamed file.
     */
    private static final class NginxLikeWriter implements AutoCloseable {
        private final LogWriter writer;
        private final Path flag;
        private final BlockingQueue<Integer> chunks = new LinkedBlockingQueue<>();
        private final AtomicLong done = new AtomicLong();
        private final Thread thread;
        private int requested;
        private int requestedChunks;
        private volatile Throwable failure;

        NginxLikeWriter(Path log, Path flag, String tag) throws IOException {
            this.writer = new LogWriter(log, tag);
            this.flag = flag;
            this.thread = new Thread(this::run, "nginx-like-writer");
            thread.start();
        }

        private void run() {
            try {
                for (int n; (n = chunks.take()) >= 0; ) {
                    if (n == 0) {
                        if (Files.deleteIfExists(flag)) {
                            writer.reopen(); // the "USR1" logrotate's postrotate sent
                        }
                    } else {
                        writer.write(n);
                    }
                    done.incrementAndGet();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable t) {
                failure = t;
            }
        }

        /**
         * Reopens the log when postrotate has asked for it (after the chunks asked for before).
         *
         * @return the number of chunks done once the reopen is, for {@link #awaitDone}
         */
        int reopenIfAsked() {
            requestedChunks++;
            chunks.add(0);
            return requestedChunks;
        }

        /** Waits until the writer has done {@code n} chunks (every chunk is done in the order asked). */
        void awaitDone(int n) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1)).until(() -> failure != null || done.get() >= n);
            assertThat(failure).isNull();
        }

        void write(int lines) {
            requested += lines;
            requestedChunks++;
            chunks.add(lines);
        }

        int requested() {
            return requested;
        }

        String line(int seq) {
            return writer.line(seq);
        }

        void awaitIdle() {
            await().atMost(Duration.ofSeconds(30)).until(() -> failure != null || done.get() == requestedChunks);
            assertThat(failure).isNull();
        }

        List<String> written() {
            return writer.written();
        }

        @Override
        public void close() throws Exception {
            chunks.add(-1);
            thread.join(10_000);
            writer.close();
        }
    }
}
