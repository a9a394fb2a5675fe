package io.datastream.protocol.report;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread of a component that pushes its minute reports to control: every
 * {@code intervalMs} (the first push after a random part of it, so that thousands of agents
 * started together do not push together) it samples the gauges ({@code beforePush}), evicts the
 * minutes that left the window, and POSTs every minute whose current state control has not
 * acknowledged, in bodies of at most {@link #MAX_BODY_BYTES}. A 2xx answer acknowledges them; any
 * other answer or an I/O error leaves them for the next push (control replaces, so a re-send never
 * counts twice). A 400 means control refuses the report as written: its minutes are dropped and
 * counted ({@link Stats#minutesRejected}), since sending them again would be refused again.
 * {@link #close()} makes a last push of everything, the current minute included.
 */
public final class ReportSender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReportSender.class);
    /** Largest body sent (control's default http.maxBodyBytes is 262144). */
    public static final int MAX_BODY_BYTES = 200_000;
    /** Most minutes in one body (control's limit is 10,000). */
    public static final int MAX_MINUTES = 5_000;
    static final String PATH = "/api/v1/reports";

    private final ReportSettings settings;
    private final ReportSource kind;
    private final String sourceId;
    private final MinuteLedger ledger;
    private final Runnable beforePush;
    private final LongSupplier clock;
    private final URI uri;
    private final HttpClient http;
    private final Thread thread;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final AtomicLong pushes = new AtomicLong();
    private final AtomicLong pushesFailed = new AtomicLong();
    private final AtomicLong minutesSent = new AtomicLong();
    private final AtomicLong minutesRejected = new AtomicLong();
    private final AtomicLong bytesSent = new AtomicLong();
    private volatile String lastError;
    private volatile long lastSuccessMillis;
    private boolean failing;

    /**
     * @param kind       the component's tier
     * @param sourceId   its id (agent, router or sink id)
     * @param beforePush sets the gauges before each push (may be a no-op); runs on the sender's thread
     * @param clock      wall-clock milliseconds (minutes are wall-clock minutes)
     */
    public ReportSender(ReportSettings settings, ReportSource kind, String sourceId, MinuteLedger ledger, Runnable beforePush,
                        LongSupplier clock) {
        if (!settings.enabled()) {
            throw new IllegalArgumentException("reports are off (no controlUrl)");
        }
        this.settings = settings;
        this.kind = kind;
        this.sourceId = sourceId;
        this.ledger = ledger;
        this.beforePush = beforePush;
        this.clock = clock;
        String base = settings.controlUrl().toString();
        this.uri = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + PATH);
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(settings.timeoutMs()))
                .version(HttpClient.Version.HTTP_1_1).build();
        this.thread = new Thread(this::run, "ds-" + kind.wireName() + "-reports");
        this.thread.setDaemon(true);
    }

    public ReportSender start() {
        thread.start();
        LOG.info("{} {} reports every {} ms to {}", kind.wireName(), sourceId, settings.intervalMs(), uri);
        return this;
    }

    private void run() {
        long interval = settings.intervalMs();
        long wait = ThreadLocalRandom.current().nextLong(Math.max(1, interval / 2), interval + 1);
        try {
            while (!stop.await(wait, TimeUnit.MILLISECONDS)) {
                pushNow();
                wait = interval;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One push (the sender's thread, or {@link #close()} once the thread ended). */
    void pushNow() {
        try {
            beforePush.run();
        } catch (RuntimeException e) {
            LOG.debug("sampling gauges: {}", e.toString());
        }
        ledger.evict(MinuteLedger.minuteOf(clock.getAsLong()));
        List<MinuteLedger.Entry> pending = ledger.pending();
        for (ReportBody.Chunk chunk : ReportBody.chunks(kind, sourceId, pending, MAX_BODY_BYTES, MAX_MINUTES)) {
            if (!post(chunk)) {
                return; // control is down or busy: the rest waits for the next push
            }
        }
    }

    private boolean post(ReportBody.Chunk chunk) {
        pushes.incrementAndGet();
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(Duration.ofMillis(settings.timeoutMs()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(chunk.json()));
        if (!settings.token().isEmpty()) {
            req.header("Authorization", "Bearer " + settings.token());
        }
        try {
            HttpResponse<String> r = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
            int status = r.statusCode();
            if (status / 100 == 2) {
                ledger.acknowledge(chunk.entries());
                minutesSent.addAndGet(chunk.entries().size());
                bytesSent.addAndGet(chunk.json().length);
                lastSuccessMillis = clock.getAsLong();
                if (failing) {
                    failing = false;
                    LOG.info("reports to {} are accepted again", uri);
                }
                return true;
            }
            String body = r.body() == null ? "" : r.body();
            String msg = "HTTP " + status + " from " + uri + ": " + (body.length() > 300 ? body.substring(0, 300) : body);
            if (status == 400) {
                // control will never take these as written: drop them, counted, and log why
                ledger.acknowledge(chunk.entries());
                minutesRejected.addAndGet(chunk.entries().size());
                LOG.warn("control refused {} report minutes (dropped, counted): {}", chunk.entries().size(), msg);
                lastError = msg;
                return true;
            }
            fail(msg);
            return false;
        } catch (IOException e) {
            fail("cannot reach " + uri + ": " + e);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
            return false;
        }
    }

    private void fail(String msg) {
        pushesFailed.incrementAndGet();
        lastError = msg;
        if (!failing) {
            failing = true;
            LOG.warn("reports not accepted ({}); kept for re-sending up to {} minutes", msg, ledger.windowMinutes());
        } else {
            LOG.debug("reports not accepted: {}", msg);
        }
    }

    /**
     * The sender's counts.
     *
     * @param pushes          POSTs made
     * @param pushesFailed    POSTs that failed (not reachable, or not 2xx and not 400)
     * @param minutesSent     minutes control acknowledged (a minute sent again after it changed counts again)
     * @param minutesRejected minutes control refused with 400, dropped
     * @param bytesSent       body bytes control acknowledged
     * @param lastSuccessMillis time of the last acknowledged push (0 = none)
     * @param lastError       the last failure, or null
     * @param ledger          the ledger's refusals and drops
     */
    public record Stats(long pushes, long pushesFailed, long minutesSent, long minutesRejected, long bytesSent,
                        long lastSuccessMillis, String lastError, MinuteLedger.Stats ledger) {
    }

    public Stats stats() {
        return new Stats(pushes.get(), pushesFailed.get(), minutesSent.get(), minutesRejected.get(), bytesSent.get(),
                lastSuccessMillis, lastError, ledger.stats());
    }

    public MinuteLedger ledger() {
        return ledger;
    }

    /** Stops the thread, then pushes what is pending once more. */
    @Override
    public void close() {
        stop.countDown();
        try {
            thread.join(settings.timeoutMs() * 2 + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!thread.isAlive()) {
            pushNow();
        }
        Stats s = stats();
        if (s.ledger().minutesDropped() > 0 || s.minutesRejected() > 0 || !ledger.pending().isEmpty()) {
            LOG.warn("{} {} reports at stop: {} minutes never acknowledged by control and dropped, {} refused, {} still unsent",
                    kind.wireName(), sourceId, s.ledger().minutesDropped(), s.minutesRejected(), ledger.pending().size());
        }
    }
}
