package io.datastream.sink.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.datastream.protocol.codec.CodecType;
import io.datastream.sink.deadletter.DeadLetter;
import io.datastream.sink.deadletter.DeadLetters;
import io.datastream.sink.source.KafkaRecord;
import io.datastream.sink.testing.SourceFile;
import java.util.List;
import java.util.Random;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EnvelopeParserTest {
    private final SourceFile file = new SourceFile("web", "agent-7", "h", "/var/log/x.log", 0x1234L,
            SourceFile.numberedLines("x", 40), 1_700_000_000_000L, 5);
    private OneInputStreamOperatorTestHarness<KafkaRecord, SourceBatch> harness;
    private long offset;

    @BeforeEach
    void open() throws Exception {
        harness = ProcessFunctionTestHarnesses.forProcessFunction(new EnvelopeParser());
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void send(byte[] value) throws Exception {
        harness.processElement(new StreamRecord<>(new KafkaRecord("ds-t", 2, offset++, 99, value)));
    }

    @Test
    void validEnvelopesAreKeyedBySourceFile() throws Exception {
        send(file.envelope(0, 10, CodecType.LZ4));
        List<SourceBatch> out = harness.extractOutputValues();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).fileKey()).isEqualTo("agent-7/1234");
        assertThat(harness.getSideOutput(DeadLetters.TAG)).isNullOrEmpty();
    }

    @Test
    void recordsThatAreNotEnvelopesBecomeDeadLettersWithTheirCoordinates() throws Exception {
        send(new byte[0]);
        send("hello, world".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        byte[] flipped = file.envelope(0, 10, CodecType.ZSTD);
        flipped[flipped.length - 1] ^= 1;
        send(flipped);
        assertThat(harness.extractOutputValues()).isEmpty();
        List<DeadLetter> dead = harness.getSideOutput(DeadLetters.TAG).stream().map(StreamRecord::getValue).toList();
        assertThat(dead).extracting(DeadLetter::offset).containsExactly(0L, 1L, 2L);
        assertThat(dead).allSatisfy(d -> {
            assertThat(d.topic()).isEqualTo("ds-t");
            assertThat(d.partition()).isEqualTo(2);
            assertThat(d.timestamp()).isEqualTo(99);
            assertThat(d.stage()).isEqualTo(DeadLetter.STAGE_PARSE);
            assertThat(d.error()).isNotBlank();
        });
        assertThat(dead.get(2).error()).containsIgnoringCase("crc");
        assertThat(dead.get(2).value()).isEqualTo(flipped);
    }

    /** Hostile bytes: random records and every kind of damage to valid ones never fail the operator. */
    @Test
    void fuzzedRecordsNeverThrowAndEveryRecordIsAccountedFor() throws Exception {
        Random rnd = new Random(7);
        byte[] valid = file.envelope(0, 40, CodecType.ZSTD);
        int n = 3000;
        for (int i = 0; i < n; i++) {
            byte[] b;
            switch (i % 3) {
                case 0:
                    b = new byte[rnd.nextInt(300)];
                    rnd.nextBytes(b);
                    break;
                case 1:
                    b = valid.clone();
                    for (int k = 0; k < 1 + rnd.nextInt(4); k++) {
                        b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
                    }
                    break;
                default:
                    b = java.util.Arrays.copyOf(valid, rnd.nextInt(valid.length));
                    break;
            }
            send(b);
        }
        int good = harness.extractOutputValues().size();
        int dead = harness.getSideOutput(DeadLetters.TAG).size();
        assertThat(good + dead).isEqualTo(n);
    }
}
