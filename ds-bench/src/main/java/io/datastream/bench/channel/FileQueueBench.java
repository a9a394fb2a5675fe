package io.datastream.bench.channel;

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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * File-queue channel append and read throughput for each fsync policy, against a plain
 * {@link FileChannel} sequential write loop of the same bytes in the same run (the disk's
 * page-cache write speed, what {@code never} is compared with; the same loop with a final fsync
 * is printed too; the percentage is against the faster of the two). Appends go as the HTTP source puts them: requests of {@code --batch} events,
 * reserve then put; an append phase ends when every put is safe by the policy. Then one consumer
 * takes and commits everything.
 *
 * <pre>
 * java -cp ds-bench/target/ds-bench.jar io.datastream.bench.channel.FileQueueBench \
 *     --dir /var/tmp/fq-bench --mb 512 --event-bytes 1024 --batch 100 --rounds 3
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
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--dir" -> dir = Path.of(args[i + 1]);
                case "--mb" -> mb = Long.parseLong(args[i + 1]);
                case "--event-bytes" -> eventBytes = Integer.parseInt(args[i + 1]);
                case "--batch" -> batch = Integer.parseInt(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
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
        for (int r = 1; r <= rounds; r++) {
            double raw = rawWrite(dir, batches * batchBytes, false);
            double rawSync = rawWrite(dir, batches * batchBytes, true);
            System.out.printf("round %d  plain FileChannel write: %.0f MB/s (page cache), %.0f MB/s with a final fsync%n", r, raw, rawSync);
            double plain = Math.max(raw, rawSync); // the ratio is taken against the faster of the two
            for (FsyncPolicy p : FsyncPolicy.values()) {
                double[] res = channel(dir, p, events, batches, total);
                double appendMbs = batches * batchBytes / res[0] / 1e6;
                double readMbs = batches * batchBytes / res[1] / 1e6;
                System.out.printf("round %d  %-8s append %6.0f MB/s %9.0f events/s (%3.0f%% of plain)   read %6.0f MB/s %9.0f events/s%n", r,
                        p.configName(), appendMbs, eventCount / res[0], 100 * appendMbs / plain, readMbs, eventCount / res[1]);
            }
        }
        delete(dir);
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
    private static double[] channel(Path dir, FsyncPolicy policy, List<StoredEvent> events, long batches, long total) throws Exception {
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
