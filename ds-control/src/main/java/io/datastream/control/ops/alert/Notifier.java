package io.datastream.control.ops.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends notifications: every one to the log, and to each of the rule's webhooks as a JSON POST
 * from one sender thread. A webhook that fails (no answer in time, or not 2xx) is retried after
 * {@code backoffMs}, doubled at each retry up to 5 minutes, until {@code maxAttempts}; then the
 * notification is given up (counted, logged). Deliveries wait in a bounded queue; one that finds it
 * full is dropped (counted, logged). Every attempt is counted.
 */
public final class Notifier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
    private static final long MAX_BACKOFF_MS = 300_000;

    private record Delivery(String url, byte[] body, String ruleId, int attempt) {
    }

    private final HttpClient http;
    private final Duration timeout;
    private final int maxAttempts;
    private final long backoffMs;
    private final BlockingQueue<Delivery> queue;
    private final ScheduledExecutorService retries;
    private final Thread sender;
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();
    private final AtomicLong givenUp = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean running = true;

    public Notifier(Duration timeout, int maxAttempts, long backoffMs, int capacity) {
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.timeout = timeout;
        this.maxAttempts = maxAttempts;
        this.backoffMs = backoffMs;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ds-control-webhook-retries");
            t.setDaemon(true);
            return t;
        });
        this.sender = new Thread(this::loop, "ds-control-webhooks");
        sender.setDaemon(true);
        sender.start();
    }

    /** Logs the notification and queues it for each webhook of its rule. */
    public void send(Notification n) {
        if (n.state() == AlertState.FIRING) {
            LOG.warn("alert {} FIRING ({} {} > {}): {}", n.rule().id(), n.rule().kind().wireName(), n.value(), n.rule().threshold(), n.message());
        } else {
            LOG.info("alert {} {} ({} {}): {}", n.rule().id(), n.state(), n.rule().kind().wireName(), n.value(), n.message());
        }
        if (n.rule().webhooks().isEmpty()) {
            return;
        }
        byte[] body;
        try {
            body = AlertRuleCodec.JSON.writeValueAsBytes(n.toJson());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        for (String url : n.rule().webhooks()) {
            enqueue(new Delivery(url, body, n.rule().id(), 1));
        }
    }

    private void enqueue(Delivery d) {
        if (!running || !queue.offer(d)) {
            dropped.incrementAndGet();
            LOG.warn("alert {}: notification to {} dropped: the webhook queue is full (alerts.webhookQueueCapacity)", d.ruleId(), d.url());
        }
    }

    private void loop() {
        while (running) {
            Delivery d;
            try {
                d = queue.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (d != null) {
                attempt(d);
            }
        }
    }

    private void attempt(Delivery d) {
        attempts.incrementAndGet();
        String problem;
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(d.url())).timeout(timeout).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(d.body())).build();
            HttpResponse<Void> resp = http.send(req, HttpResponse.BodyHandlers.discarding());
            if (resp.statusCode() / 100 == 2) {
                delivered.incrementAndGet();
                return;
            }
            problem = "HTTP " + resp.statusCode();
        } catch (IOException | IllegalArgumentException e) {
            problem = e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        failedAttempts.incrementAndGet();
        if (d.attempt() >= maxAttempts) {
            givenUp.incrementAndGet();
            LOG.warn("alert {}: webhook {} failed {} times ({}); given up", d.ruleId(), d.url(), d.attempt(), problem);
            return;
        }
        long delay = Math.min(MAX_BACKOFF_MS, backoffMs << Math.min(20, d.attempt() - 1));
        LOG.info("alert {}: webhook {} attempt {} failed ({}); retrying in {} ms", d.ruleId(), d.url(), d.attempt(), problem, delay);
        Delivery next = new Delivery(d.url(), d.body(), d.ruleId(), d.attempt() + 1);
        retries.schedule(() -> enqueue(next), delay, TimeUnit.MILLISECONDS);
    }

    /** Webhook calls made, successful or not. */
    public long attempts() {
        return attempts.get();
    }

    public long delivered() {
        return delivered.get();
    }

    public long failedAttempts() {
        return failedAttempts.get();
    }

    public long givenUp() {
        return givenUp.get();
    }

    public long dropped() {
        return dropped.get();
    }

    @Override
    public void close() {
        running = false;
        retries.shutdownNow();
        sender.interrupt();
        try {
            sender.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
