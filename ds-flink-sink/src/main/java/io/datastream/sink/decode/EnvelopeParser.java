package io.datastream.sink.decode;

import io.datastream.protocol.batch.Batch;
import io.datastream.protocol.envelope.Envelope;
import io.datastream.sink.deadletter.DeadLetter;
import io.datastream.sink.deadletter.DeadLetters;
import io.datastream.sink.metrics.SinkMetric;
import io.datastream.sink.source.KafkaRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Parses each record's header (magic, version, lengths, CRC32C) and keys valid batches by
 * source file. A record that is not a valid envelope goes to {@link DeadLetters#TAG}; nothing
 * here throws for bad bytes. The payload stays compressed: it is decoded after the key-by.
 */
public final class EnvelopeParser extends ProcessFunction<KafkaRecord, SourceBatch> {
    private static final long serialVersionUID = 1L;

    private transient Counter envelopesIn;
    private transient Counter bytesIn;
    private transient Counter corrupt;

    @Override
    public void open(OpenContext ctx) {
        envelopesIn = SinkMetric.ENVELOPES_IN.register(getRuntimeContext().getMetricGroup());
        bytesIn = SinkMetric.ENVELOPE_BYTES_IN.register(getRuntimeContext().getMetricGroup());
        corrupt = SinkMetric.ENVELOPES_CORRUPT.register(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(KafkaRecord record, Context ctx, Collector<SourceBatch> out) {
        envelopesIn.inc();
        bytesIn.inc(record.value().length);
        String key;
        try {
            Envelope e = Envelope.parse(record.value());
            if (e.isCorrupt()) {
                corrupt.inc();
                ctx.output(DeadLetters.TAG, DeadLetter.of(record, DeadLetter.STAGE_PARSE, e.error().getMessage()));
                return;
            }
            Batch b = e.batch();
            key = SourceBatch.fileKey(b.agentId(), b.fingerprint());
        } catch (RuntimeException unexpected) {
            // hostile bytes must never fail the job: anything the parser did not foresee is a dead letter too
            corrupt.inc();
            ctx.output(DeadLetters.TAG, DeadLetter.of(record, DeadLetter.STAGE_PARSE, "unexpected " + unexpected));
            return;
        }
        out.collect(new SourceBatch(key, record));
    }
}
