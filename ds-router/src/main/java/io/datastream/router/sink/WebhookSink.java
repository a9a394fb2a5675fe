package io.datastream.router.sink;

import io.datastream.router.channel.ChannelConsumer;
import io.datastream.router.channel.ChannelRecord;
import io.datastream.router.http.IntakeMetrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs a channel's events to a URL in batches, as NDJSON (one JSON event per line,
 * {@code Content-Type: application/x-ndjson}): the "alarm" kind of sink. A batch is committed
 * once the target answered 2xx; any other answer, a timeout or a connection error is counted as a
 * failure, and the same batch is sent again after a pause that doubles from
 * {@code retryBackoffMs} up to {@code maxRetryBackoffMs}; retries never stop (the channel holds
 * the events meanwhile: back-pressure, or drops counted for a best-effort sink). Headers
 * {@code X-Ds-Channel} and {@code X-Ds-Positions: first-last} let the target recognise a batch
 * sent again. One thread.
 */
public final class WebhookSink extends ChannelSink {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookSink.class);

    private final JsonLines json;
    private final URI url;
    private final int batchEvents;
    private final int maxBatchBytes;
    private final Duration timeout;
    private final long retryBackoffMs;
    private final long maxRetryBackoffMs;
    private final HttpClient client;
    private final Object pause = new Object();

    public WebhookSink(String name, String channel, ChannelConsumer consumer, JsonLines lines, URI url, int batchEvents, int maxBatchBytes,
                       Duration timeout, long retryBackoffMs, long maxRetryBackoffMs, IntakeMetrics.SinkCounters counters) {
        super(name, channel, consumer, counters);
        this.json = lines;
        this.url = url;
        this.batchEvents = batchEvents;
        this.maxBatchBytes = maxBatchBytes;
        this.timeout = timeout;
        this.retryBackoffMs = retryBackoffMs;
        this.maxRetryBackoffMs = maxRetryBackoffMs;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public WebhookSink start() {
        super.start();
        return this;
    }

    @Override
    protected void run() {
        long backoff = retryBackoffMs;
        boolean failing = false;
        try {
            while (!stopping) {
                List<ChannelRecord> records = consumer.take(batchEvents, maxBatchBytes, 100, TimeUnit.MILLISECONDS);
                if (records.isEmpty()) {
                    continue;
                }
                String problem = post(records);
                if (problem == null) {
                    consumer.commit(records.get(records.size() - 1).nextPosition());
                    counters.events().inc(records.size());
                    counters.batches().inc();
                    if (failing) {
                        LOG.info("sink {}: {} answers again", name(), url);
                    }
                    failing = false;
                    backoff = retryBackoffMs;
                    continue;
                }
                counters.failures().inc();
                if (!failing) {
                    LOG.warn("sink {}: POST to {} failed ({}); sending the batch again with back-off", name(), url, problem);
                }
                failing = true;
                consumer.rewind();
                synchronized (pause) {
                    pause.wait(backoff);
                }
                backoff = Math.min(backoff * 2, maxRetryBackoffMs);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("sink {} stopped by an unexpected error", name(), e);
        } finally {
            json.close();
        }
    }

    /** POSTs the records; null when the target took them, else what went wrong. */
    private String post(List<ChannelRecord> records) throws InterruptedException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(64 * records.size());
        for (ChannelRecord r : records) {
            body.writeBytes(json.of(r, channel()));
            body.write('\n');
        }
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/x-ndjson")
                .header("X-Ds-Channel", channel())
                .header("X-Ds-Positions", records.get(0).position() + "-" + records.get(records.size() - 1).position())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        try {
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            int code = response.statusCode();
            return code >= 200 && code < 300 ? null : "HTTP " + code;
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Override
    public void close(Duration timeoutToDrain) {
        stopThread();
    }
}
