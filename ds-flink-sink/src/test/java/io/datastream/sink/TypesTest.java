package io.datastream.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.datastream.sink.deadletter.DeadLetter;
import io.datastream.sink.decode.SourceBatch;
import io.datastream.sink.eventid.EventIdLine;
import io.datastream.sink.output.OutputChunk;
import io.datastream.sink.source.KafkaRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;

/** The records that flow between operators use Flink's POJO serializer, never the generic Kryo fallback. */
class TypesTest {
    @Test
    void recordsInFlightAreFlinkPojos() {
        for (Class<?> c : new Class<?>[]{KafkaRecord.class, SourceBatch.class, OutputChunk.class, DeadLetter.class, EventIdLine.class}) {
            assertThat(TypeInformation.of(c)).as(c.getSimpleName()).isInstanceOf(PojoTypeInfo.class);
        }
    }
}
