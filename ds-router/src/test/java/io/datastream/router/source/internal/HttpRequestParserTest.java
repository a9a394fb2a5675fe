package io.datastream.router.source.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.datastream.router.config.HttpSourceLimitsConfig;
import io.datastream.router.event.Event;
import io.datastream.router.source.Refusal;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HttpRequestParserTest {
    private static final HttpSourceLimitsConfig LIMITS = new HttpSourceLimitsConfig(null, null, 100, null, 4, 64, null, null, null, null, null, null);
    private final RequestParser parser = new RequestParser(LIMITS);

    private ParsedRequest json(String s) {
        return json(s.getBytes(StandardCharsets.UTF_8));
    }

    private ParsedRequest json(byte[] b) {
        ByteBuf buf = Unpooled.wrappedBuffer(b);
        try {
            return parser.json(buf);
        } finally {
            buf.release();
        }
    }

    @Test
    void readsArraysAndNdjson() {
        ParsedRequest a = json("[{\"headers\":{\"logType\":\"jvm\",\"k\":\"v\"},\"body\":\"hello\"},{\"body\":\"\"}, {\"headers\":{}}]");
        assertThat(a.isOk()).isTrue();
        assertThat(a.events()).hasSize(3);
        Event e = a.events().get(0);
        assertThat(e.headers()).containsExactly(java.util.Map.entry("logType", "jvm"), java.util.Map.entry("k", "v"));
        assertThat(new String(e.body(), StandardCharsets.UTF_8)).isEqualTo("hello");
        ParsedRequest nd = json("{\"body\":\"a\"}\n{\"body\":\"b\\nc\"}\n\n");
        assertThat(nd.isOk()).isTrue();
        assertThat(nd.events()).extracting(x -> new String(x.body(), StandardCharsets.UTF_8)).containsExactly("a", "b\nc");
    }

    @Test
    void refusesWithTheIndexOfTheFirstBadEvent() {
        assertThat(json("[{\"body\":\"a\"},{\"body\":1}]")).satisfies(p -> {
            assertThat(p.refusal()).isEqualTo(Refusal.BAD_EVENT);
            assertThat(p.index()).isEqualTo(1);
        });
        assertThat(json("[{\"body\":\"a\"},{\"bod").refusal()).isEqualTo(Refusal.MALFORMED);
        assertThat(json("[{\"body\":\"a\"},{\"bod").index()).isEqualTo(1);
        assertThat(json("[1]").refusal()).isEqualTo(Refusal.BAD_EVENT);
        assertThat(json("[{\"body\":\"a\",\"extra\":1}]").message()).contains("unknown field 'extra'");
        assertThat(json("[{\"headers\":{\"a\":\"1\",\"b\":\"2\",\"c\":\"3\",\"d\":\"4\",\"e\":\"5\"}}]").message()).contains("more than 4 headers");
        assertThat(json("[{\"headers\":{\"a\":\"" + "x".repeat(64) + "\"}}]").message()).contains("over the limit of 64");
        assertThat(json("[{\"headers\":{\"a\":\"\\ud800\"}}]").message()).contains("not valid Unicode");
        assertThat(json("[]").refusal()).isEqualTo(Refusal.MALFORMED);
        assertThat(json("").refusal()).isEqualTo(Refusal.MALFORMED);
        assertThat(json("[{}] x").refusal()).isEqualTo(Refusal.MALFORMED);
        byte[] badUtf8 = "[{\"headers\":{\"k\":\"\u00c3\u0028\"}}]".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(json(badUtf8).refusal()).isEqualTo(Refusal.MALFORMED);
        assertThat(json(badUtf8).message()).containsIgnoringCase("utf-8");
    }

    @Test
    void stopsAtTheEventLimit() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 1_000_000; i++) {
            b.append("{}");
        }
        ParsedRequest p = json(b.toString());
        assertThat(p.refusal()).isEqualTo(Refusal.TOO_MANY_EVENTS);
        assertThat(p.index()).isEqualTo(100);
    }

    @Test
    void readsTextLinesWithQueryHeaders() {
        ByteBuf body = Unpooled.copiedBuffer("one\r\ntwo\n\nthree", StandardCharsets.UTF_8);
        try {
            ParsedRequest p = parser.text(body, "logType=jvm&team=a+b%21");
            assertThat(p.isOk()).isTrue();
            assertThat(p.events()).extracting(x -> new String(x.body(), StandardCharsets.UTF_8)).containsExactly("one", "two", "three");
            assertThat(p.events().get(0).headers()).containsEntry("logType", "jvm").containsEntry("team", "a b!");
            assertThat(parser.text(body, "k=%e9").refusal()).isEqualTo(Refusal.BAD_EVENT);
            assertThat(parser.text(body, "k=%zz").refusal()).isEqualTo(Refusal.BAD_EVENT);
        } finally {
            body.release();
        }
    }

    /** Random and mutated bodies: the parser never throws, and every answer is within the limits. */
    @Test
    void fuzzNeverThrowsAndKeepsTheLimits() {
        Random random = new Random(0x15_15_15L);
        String[] seeds = {"[{\"headers\":{\"logType\":\"jvm\"},\"body\":\"hello\"},{\"body\":\"x\"}]",
                "{\"headers\":{\"a\":\"b\"},\"body\":\"\\u00e9\\n\"}\n{\"body\":\"\"}", "[]", "{}"};
        int ok = 0;
        for (int i = 0; i < 200_000; i++) {
            byte[] b;
            if (i % 10 == 0) {
                b = new byte[random.nextInt(64)];
                random.nextBytes(b);
            } else {
                b = seeds[random.nextInt(seeds.length)].getBytes(StandardCharsets.UTF_8);
                int mutations = 1 + random.nextInt(4);
                for (int m = 0; m < mutations && b.length > 0; m++) {
                    int at = random.nextInt(b.length);
                    switch (random.nextInt(3)) {
                        case 0 -> b[at] = (byte) random.nextInt(256);
                        case 1 -> b = java.util.Arrays.copyOf(b, at);
                        default -> {
                            byte[] longer = new byte[b.length * 2];
                            System.arraycopy(b, 0, longer, 0, b.length);
                            System.arraycopy(b, 0, longer, b.length, b.length);
                            b = longer;
                        }
                    }
                }
            }
            ParsedRequest p = json(b);
            if (p.isOk()) {
                ok++;
                assertThat(p.events()).isNotEmpty().hasSizeLessThanOrEqualTo(100);
                assertThat(p.events()).allSatisfy(e -> assertThat(e.headers().size()).isLessThanOrEqualTo(4));
            } else {
                assertThat(p.message()).isNotBlank();
                assertThat(p.index()).isBetween(-1, 100);
            }
            ByteBuf text = Unpooled.wrappedBuffer(b);
            try {
                ParsedRequest t = parser.text(text, new String(b, StandardCharsets.ISO_8859_1));
                assertThat(t.isOk() || !t.message().isBlank()).isTrue();
            } finally {
                text.release();
            }
        }
        assertThat(ok).isPositive();
    }
}
