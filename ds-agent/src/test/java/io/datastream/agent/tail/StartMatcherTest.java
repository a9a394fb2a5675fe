package io.datastream.agent.tail;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class StartMatcherTest {

    /** ^(a+)+$ on 'aaa...ab' backtracks 2^n steps in java.util.regex; RE2/J runs in linear time. */
    @Test
    @Timeout(60)
    void aCatastrophicBacktrackingStartPatternCostsLinearTime() {
        StartMatcher m = new StartMatcher(Pattern.compile("^(a+)+$"));
        byte[] line = ("a".repeat(LineRules.START_PREFIX_BYTES - 1) + "b").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 1_000; i++) {
            assertThat(m.matches(line, 0, line.length)).isFalse();
        }
        StartMatcher date = new StartMatcher(Pattern.compile("^\\d{4}-\\d{2}-\\d{2}"));
        byte[] start = "2026-12-03 05:12:51 ERROR x".getBytes(StandardCharsets.UTF_8);
        byte[] continuation = "\tat io.datastream.X.y(X.java:1)".getBytes(StandardCharsets.UTF_8);
        assertThat(date.matches(start, 0, start.length)).isTrue();
        assertThat(date.matches(continuation, 0, continuation.length)).isFalse();
    }
}
