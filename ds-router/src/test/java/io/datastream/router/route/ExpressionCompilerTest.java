package io.datastream.router.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datastream.protocol.batch.Batch;
import io.datastream.router.sim.BatchFixture;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ExpressionCompilerTest {
    private final BatchFixture fx = new BatchFixture();
    private final Batch jvm = fx.batch("app", "agent-7", "web-01", "/var/log/gc.log", Map.of("logType", "jvm", "env", "prod"));
    private final Batch nginx = fx.batch("nginx", "agent-8", "lb-02", "/var/log/nginx/access.log", Map.of("logType", "access"));

    @AfterEach
    void release() {
        fx.close();
    }

    private static boolean eval(String expr, Batch b) throws ExpressionException {
        return ExpressionCompiler.compile(expr).test(b);
    }

    @Test
    void headerEquality() throws Exception {
        assertThat(eval("header.logType == \"jvm\"", jvm)).isTrue();
        assertThat(eval("header.logType == \"jvm\"", nginx)).isFalse();
        assertThat(eval("header.logType != 'jvm'", nginx)).isTrue();
    }

    /** ^(a+)+$ against 'aaa...ab' backtracks 2^n steps in java.util.regex; RE2 matches in linear time. */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void aCatastrophicBacktrackingPatternRunsInLinearTime() throws Exception {
        Batch evil = fx.batch("t", "agent-1", "web-01", "/var/log/x.log", Map.of("v", "a".repeat(1_000) + "b"));
        assertThat(eval("header.v =~ \"^(a+)+$\"", evil)).isFalse();
        assertThat(eval("header.v =~ \"^(a|aa)+b$\"", evil)).isTrue();
    }

    @Test
    void javaOnlyRegexFeaturesAreRefusedAtCompileTime() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> eval("host =~ \"(a)\\1\"", jvm))
                .isInstanceOf(ExpressionException.class).hasMessageContaining("bad regular expression");
    }

    @Test
    void fieldsOfTheBatch() throws Exception {
        assertThat(eval("task == \"nginx\"", nginx)).isTrue();
        assertThat(eval("host == \"web-01\" && agent == \"agent-7\"", jvm)).isTrue();
        assertThat(eval("path =~ \"\\.log$\"", jvm)).isTrue();
    }

    @Test
    void regexSearches() throws Exception {
        assertThat(eval("host =~ \"^web-\\d+$\"", jvm)).isTrue();
        assertThat(eval("host =~ \"^web-\"", nginx)).isFalse();
        assertThat(eval("path =~ \"nginx\"", nginx)).isTrue();
    }

    @Test
    void precedenceAndParentheses() throws Exception {
        // && binds tighter than ||
        assertThat(eval("task == \"nginx\" || header.logType == \"jvm\" && header.env == \"dev\"", jvm)).isFalse();
        assertThat(eval("(task == \"nginx\" || header.logType == \"jvm\") && header.env == \"prod\"", jvm)).isTrue();
        assertThat(eval("!(header.env == \"prod\")", jvm)).isFalse();
        assertThat(eval("!!(header.env == \"prod\")", jvm)).isTrue();
    }

    @Test
    void missingHeaderEqualsNothing() throws Exception {
        assertThat(eval("header.env == \"prod\"", nginx)).isFalse();
        assertThat(eval("header.env != \"prod\"", nginx)).isTrue();
        assertThat(eval("header.env =~ \".*\"", nginx)).isFalse();
        assertThat(eval("header.env == header.missing", nginx)).isFalse();
    }

    @Test
    void headerNamesMayHaveDots() throws Exception {
        Batch b = fx.batch("t", Map.of("ds.topic", "x"));
        assertThat(eval("header.ds.topic == \"x\"", b)).isTrue();
    }

    @Test
    void errorsCarryThePosition() {
        assertThatThrownBy(() -> ExpressionCompiler.compile("header.logType = \"jvm\""))
                .isInstanceOf(ExpressionException.class).hasMessageContaining("position 16").hasMessageContaining("'=='");
        assertThatThrownBy(() -> ExpressionCompiler.compile("header.logType == \"jvm"))
                .isInstanceOf(ExpressionException.class).hasMessageContaining("position 19").hasMessageContaining("not closed");
        assertThatThrownBy(() -> ExpressionCompiler.compile("tsak == \"a\""))
                .isInstanceOf(ExpressionException.class).hasMessageContaining("position 1").hasMessageContaining("unknown field 'tsak'");
        assertThatThrownBy(() -> ExpressionCompiler.compile("(task == \"a\""))
                .isInstanceOf(ExpressionException.class).hasMessageContaining("position 13").hasMessageContaining("')'");
        assertThatThrownBy(() -> ExpressionCompiler.compile("host =~ \"[\""))
                .isInstanceOf(ExpressionException.class).hasMessageContaining("position 9").hasMessageContaining("regular expression");
        assertThatThrownBy(() -> ExpressionCompiler.compile("task == \"a\" &  host == \"b\""))
                .isInstanceOf(ExpressionException.class).hasMessageContaining("position 13");
        assertThatThrownBy(() -> ExpressionCompiler.compile("task"))
                .isInstanceOf(ExpressionException.class).hasMessageContaining("position 5").hasMessageContaining("end of expression");
        assertThatThrownBy(() -> ExpressionCompiler.compile("task == \"a\" host"))
                .isInstanceOf(ExpressionException.class).hasMessageContaining("position 13").hasMessageContaining("unexpected");
    }
}
