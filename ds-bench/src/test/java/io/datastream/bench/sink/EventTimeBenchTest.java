package io.datastream.bench.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.datastream.embedded.logs.LogKind;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.infra.Blackhole;

/** The benchmark measures what it says: the parsers find the generated lines' times, the sink path runs. */
class EventTimeBenchTest {
    private static EventTimeBench bench(LogKind kind, String format) throws Exception {
        EventTimeBench b = new EventTimeBench();
        b.kind = kind;
        b.format = format;
        b.setUp();
        return b;
    }

    @Test
    void theParsersFindTheTimesOfTheGeneratedLines() throws Exception {
        for (String format : new String[]{"auto", "clf"}) {
            EventTimeBench b = bench(LogKind.WEB_ACCESS, format);
            assertThat(b.foundInSetUp()).as(format).isGreaterThan(b.lineCount() * 99 / 100); // the last line is cut short
            b.tearDown();
        }
        for (String format : new String[]{"auto", "iso8601", "pattern"}) {
            EventTimeBench b = bench(LogKind.JAVA_APP, format);
            // stack trace lines carry no time
            assertThat(b.foundInSetUp()).as(format).isGreaterThan(b.lineCount() / 2);
            b.tearDown();
        }
    }

    @Test
    void theSinkPathWritesEveryByte() throws Exception {
        EventTimeBench b = bench(LogKind.JAVA_APP, "auto");
        Blackhole bh = new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        assertThat(b.sink(bh)).isEqualTo(io.datastream.bench.protocol.BenchData.SOURCE_BYTES);
        b.tearDown();
    }
}
