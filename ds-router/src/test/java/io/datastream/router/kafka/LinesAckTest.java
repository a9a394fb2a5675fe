package io.datastream.router.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinesAckTest {
    private final List<String> calls = new ArrayList<>();
    private final LinesAck ack = new LinesAck((records, error) -> calls.add(records + " " + (error == null ? "ok" : error.getMessage())));

    @Test
    void completesOnceAfterTheSealAndEveryRecord() {
        ack.expect(3);
        for (int i = 0; i < 3; i++) {
            ack.sending();
        }
        ack.onCompletion(null, null);
        ack.onCompletion(null, null); // completions may come before the seal
        assertThat(calls).isEmpty();
        ack.seal();
        assertThat(calls).isEmpty();
        ack.onCompletion(null, null);
        assertThat(calls).containsExactly("3 ok");
    }

    @Test
    void allCompletedBeforeTheSealCompletesAtTheSeal() {
        ack.expect(2);
        ack.sending();
        ack.sending();
        ack.onCompletion(null, null);
        ack.onCompletion(null, null);
        assertThat(calls).isEmpty();
        ack.seal();
        assertThat(calls).containsExactly("2 ok");
    }

    @Test
    void recordsNotSentAreNotWaitedFor() {
        ack.expect(5);
        ack.sending();
        ack.sending(); // then a send threw: three of the five were never handed over
        ack.failed(new IllegalStateException("producer closed"));
        ack.onCompletion(null, null);
        ack.seal();
        assertThat(calls).isEmpty();
        ack.onCompletion(null, null);
        assertThat(calls).containsExactly("2 producer closed");
    }

    @Test
    void theFirstErrorWins() {
        ack.expect(2);
        ack.sending();
        ack.sending();
        ack.seal();
        ack.onCompletion(null, new RuntimeException("first"));
        ack.onCompletion(null, new RuntimeException("second"));
        assertThat(calls).containsExactly("2 first");
    }

    @Test
    void aBatchThatSentNothingCompletesAtTheSeal() {
        ack.seal();
        assertThat(calls).containsExactly("0 ok");
    }
}
