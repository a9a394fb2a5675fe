package io.datastream.bench.channel;

import io.datastream.protocol.batch.BatchBuilder;
import io.datastream.protocol.batch.BatchSource;
import io.datastream.protocol.codec.CodecType;
import io.datastream.router.channel.ChannelConsumer;
import io.datastream.router.channel.ChannelRecord;
import io.datastream.router.channel.FsyncPolicy;
import io.datastream.router.channel.Incarnation;
import io.datastream.router.channel.PutResult;
import io.datastream.router.channel.StoredEvent;
import io.datastream.router.channel.filequeue.FileQueueChannel;
import io.datastream.router.event.EventFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * File-queue channel append and read throughput for each fsync policy, against a plain
 * {@link FileChannel} sequential write loop of the same bytes in the same run: with a final fsync
 * (the raw sequential write speed of the disk, what the percentage is taken against) and without
 * (the page cache's speed, printed beside it, with the percentage of it). Appends go as the HTTP
 * source puts them: requests of {@code --batch} events, reserve then put; an append phase ends
 * when every put is safe by the policy. Then one consumer takes and commits everything. Last, the
 * same bytes as agents' batches routed into a channel put them ({@code routes[].channel}): one
 * DSB1 batch of {@code --batch} lines (codec none) per put, for {@code never} and {@code interval}.
 *
 * <pre>
 * java -cp ds-bench/target/ds-bench.jar io.datastream.bench.channel.FileQueueBench \
 *     --dir /var/tmp/fq-bench --mb 1024 --event-bytes 1024 --batch 100 --rounds 3 [--policies never,interval,always]
 * </pre>
 */
public final class FileQueueBench {
    private FileQueueBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of("target/fq-bench");
        long mb = 512;
        int eventBytes = 1024;
        int batch = 100;
        int rounds = 3;
        List<FsyncPolicy> policies = List.of(FsyncPolicy.values());
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--dir" -> dir = Path.of(args[i + 1]);
                case "--mb" -> mb = Long.parseLong(args[i + 1]);
                case "--event-bytes" -> eventBytes = Integer.parseInt(args[i + 1]);
                case "--batch" -> batch = Integer.parseInt(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--policies" -> policies = java.util.Arrays.stream(args[i + 1].split(",")).map(FsyncPolicy::fromConfig).toList();
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        long total = mb << 20;
        List<StoredEvent> events = events(eventBytes, batch);
        long batchBytes = events.stream().mapToLong(e -> e.data().length).sum();
        long batches = total / batchBytes;
        long eventCount = batches * batch;
        System.out.printf("file-queue channel: %d MiB of %d-byte events (%d events) in puts of %d, dir %s, %d rounds%n", mb, eventBytes,
                eventCount, batch, dir.toAbsolutePath(), rounds);
        List<StoredEvent> agentBatch = List.of(agentBatch(eventBytes, batch));
        long agentBatchBytes = agentBatch.get(0).data().length;
        long agentBatches = total / agentBatchBytes;
        for (int r = 1; r <= rounds; r++) {
            double raw = rawWrite(dir, batches * batchBytes, false);
            double disk = rawWrite(dir, batches * batchBytes, true);
            System.out.printf("round %d  plain FileChannel write: %.0f MB/s with a final fsync (the disk), %.0f MB/s without (page cache)%n", r,
                    disk, raw);
            for (FsyncPolicy p : policies) {
                double[] res = channel(dir, p, events, batches);
                print(r, p.configName(), batches * batchBytes, eventCount, "events", res, disk, raw);
            }
            for (FsyncPolicy p : policies.stream().filter(p -> p != FsyncPolicy.ALWAYS).toList()) {
                double[] res = channel(dir, p, agentBatch, agentBatches);
                print(r, "agent batches, " + p.configName(), agentBatches * agentBatchBytes, agentBatches * batch, "lines", res, disk, raw);
            }
        }
        delete(dir);
    }

    private static void print(int round, String what, long bytes, long count, String unit, double[] res, double disk, double pageCache) {
        double appendMbs = bytes / res[0] / 1e6;
        double readMbs = bytes / res[1] / 1e6;
        System.out.printf("round %d  %-23s append %6.0f MB/s %9.0f %s/s (%3.0f%% of the disk, %3.0f%% of page cache)   read %6.0f MB/s%n", round,
                what, appendMbs, count / res[0], unit, 100 * appendMbs / disk, 100 * appendMbs / pageCache, readMbs);
    }

    /** One DSB1 batch of {@code lines} lines of about {@code lineBytes} each, uncompressed, as an agent sends it. */
    private static StoredEvent agentBatch(int lineBytes, int lines) {
        try (BatchBuilder b = new BatchBuilder(UnpooledByteBufAllocator.DEFAULT, 64 << 20, lines)) {
            b.begin(new BatchSource("bench", "agent-1", "web-01", "/var/log/app.log", 42L, Map.of("logType", "app")), 0);
            for (int i = 0; i < lines; i++) {
                byte[] line = (i + "-" + "x".repeat(Math.max(0, lineBytes - 8))).getBytes(StandardCharsets.UTF_8);
                b.tryAppend(line, 0, line.length, 1, System.currentTimeMillis());
            }
            ByteBuf buf = b.finish(CodecType.NONE.create());
            try {
                byte[] data = ByteBufUtil.getBytes(buf);
                return new StoredEvent(data, data.length);
            } finally {
                buf.release();
            }
        }
    }

    private static List<StoredEvent> events(int eventBytes, int batch) {
        List<StoredEvent> out = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            String prefix = "{\"headers\":{\"logType\":\"app\"},\"body\":\"" + i + "-";
            String body = prefix + "x".repeat(Math.max(0, eventBytes - prefix.length() - 2)) + "\"}";
            byte[] data = body.getBytes(StandardCharsets.UTF_8);
            out.add(new StoredEvent(data, data.length));
        }
        return out;
    }

    /** MB/s of writing {@code bytes} with 1 MiB FileChannel writes (and an fsync at the end). */
    private static double rawWrite(Path dir, long bytes, boolean fsync) throws IOException {
        delete(dir);
        Files.createDirectories(dir);
        Path f = dir.resolve("plain.bin");
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        while (buf.hasRemaining()) {
            buf.put((byte) 'x');
        }
        long start = System.nanoTime();
        try (FileChannel fc = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            long left = bytes;
            while (left > 0) {
                buf.clear().limit((int) Math.min(buf.capacity(), left));
                left -= fc.write(buf);
            }
            if (fsync) {
                fc.force(true);
            }
        }
        double s = (System.nanoTime() - start) / 1e9;
        delete(dir);
        return bytes / s / 1e6;
    }

    /** Seconds to append (until every put is safe) and to read everything. */
    private static double[] channel(Path dir, FsyncPolicy policy, List<StoredEvent> events, long batches) throws Exception {
        delete(dir);
        long cost = events.stream().mapToLong(StoredEvent::cost).sum();
        FileQueueChannel.Settings s = new FileQueueChannel.Settings(dir, batches * cost + (256L << 20), 64 << 20, policy, 1000, 1000);
        FileQueueChannel ch = FileQueueChannel.open("bench", EventFormat.JSON, s, Incarnation.next(),
                List.of(new FileQueueChannel.ConsumerSpec("c", false)));
        try {
            CountDownLatch safe = new CountDownLatch((int) batches);
            long start = System.nanoTime();
            for (long b = 0; b < batches; b++) {
                if (ch.reserve(cost) != PutResult.OK) {
                    throw new IllegalStateException("channel full");
                }
                ch.put(events, cost, safe::countDown);
            }
            safe.await();
            double append = (System.nanoTime() - start) / 1e9;
            ChannelConsumer c = ch.consumer("c");
            long n = 0;
            start = System.nanoTime();
            List<ChannelRecord> r;
            while (!(r = c.take(4096, 4 << 20, 0, TimeUnit.MILLISECONDS)).isEmpty()) {
                n += r.size();
                c.commit(r.get(r.size() - 1).nextPosition());
            }
            double read = (System.nanoTime() - start) / 1e9;
            if (n != batches * events.size()) {
                throw new IllegalStateException("read " + n + " events of " + batches * events.size());
            }
            return new double[] {append, read};
        } finally {
            ch.close();
            ch.shutdown();
            delete(dir);
        }
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
