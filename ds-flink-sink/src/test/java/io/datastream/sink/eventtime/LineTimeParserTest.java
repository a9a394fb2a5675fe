package io.datastream.sink.eventtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/** Every format, on good lines, garbage, partial dates, leap days and zones. */
class LineTimeParserTest {
    private static final long NO = LineTimeParser.NO_TIME;
    private static final long READ = Instant.parse("2026-12-03T05:30:00Z").toEpochMilli();

    private static long parse(String format, String zone, String line) {
        return parse(format, null, zone, line, READ);
    }

    private static long parse(String format, String pattern, String zone, String line, long readTime) {
        LineTimeParser p = EventTimeParsers.create(format, pattern, zone);
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        ByteBuf buf = Unpooled.wrappedBuffer(new byte[]{'x', 'y'}, bytes); // not at index 0, as in a payload
        try {
            return p.parse(buf, 2, bytes.length, readTime);
        } finally {
            buf.release();
        }
    }

    private static long utc(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    private static long at(String local, String zone) {
        return LocalDateTime.parse(local).atZone(ZoneId.of(zone)).toInstant().toEpochMilli();
    }

    @Test
    void iso8601InEveryCommonShape() {
        assertThat(parse("iso8601", null, "2026-12-03T05:12:51.123Z INFO started")).isEqualTo(utc("2026-12-03T05:12:51.123Z"));
        assertThat(parse("iso8601", null, "2026-12-03T05:12:51Z")).isEqualTo(utc("2026-12-03T05:12:51Z"));
        assertThat(parse("iso8601", null, "2026-12-03T05:12:51+02:00 x")).isEqualTo(utc("2026-12-03T03:12:51Z"));
        assertThat(parse("iso8601", null, "2026-12-03T05:12:51-0530 x")).isEqualTo(utc("2026-12-03T10:42:51Z"));
        assertThat(parse("iso8601", null, "2026-12-03T05:12:51+01 x")).isEqualTo(utc("2026-12-03T04:12:51Z"));
        assertThat(parse("iso8601", null, "2026-12-03 05:12:51,123 ERROR [main] x")).isEqualTo(utc("2026-12-03T05:12:51.123Z"));
        assertThat(parse("iso8601", null, "2026-12-03 05:12:51.123456789Z")).isEqualTo(utc("2026-12-03T05:12:51.123Z"));
        assertThat(parse("iso8601", null, "2026-12-03 05:12:51.1Z")).isEqualTo(utc("2026-12-03T05:12:51.100Z"));
        assertThat(parse("iso8601", null, "2026-12-03T05:12 something")).isEqualTo(utc("2026-12-03T05:12:00Z"));
        assertThat(parse("iso8601", null, "{\"@timestamp\":\"2026-12-03T05:12:51.123Z\",\"level\":\"INFO\"}"))
                .isEqualTo(utc("2026-12-03T05:12:51.123Z"));
        assertThat(parse("iso8601", null, "[2026-12-03 05:12:51] x")).isEqualTo(utc("2026-12-03T05:12:51Z"));
    }

    @Test
    void iso8601WithoutAnOffsetIsInTheTasksZone() {
        assertThat(parse("iso8601", "Europe/Berlin", "2026-12-03 05:12:51.123 x")).isEqualTo(at("2026-12-03T05:12:51.123", "Europe/Berlin"));
        assertThat(parse("iso8601", "Asia/Shanghai", "2026-07-01T00:00:00 x")).isEqualTo(utc("2026-06-30T16:00:00Z"));
        assertThat(parse("iso8601", "+05:30", "2026-12-03 05:12:51 x")).isEqualTo(utc("2026-12-02T23:42:51Z"));
        // an offset in the line wins over the zone
        assertThat(parse("iso8601", "Europe/Berlin", "2026-12-03T05:12:51Z")).isEqualTo(utc("2026-12-03T05:12:51Z"));
        // summer and winter time in one zone
        assertThat(parse("iso8601", "Europe/Berlin", "2026-07-03 12:00:00")).isEqualTo(utc("2026-07-03T10:00:00Z"));
        assertThat(parse("iso8601", "Europe/Berlin", "2026-01-03 12:00:00")).isEqualTo(utc("2026-01-03T11:00:00Z"));
        // a wall time that exists twice (the end of summer time): the earlier one, as java.time
        assertThat(parse("iso8601", "Europe/Berlin", "2026-10-25 02:30:00")).isEqualTo(at("2026-10-25T02:30:00", "Europe/Berlin"));
        // a wall time that does not exist (the start of summer time): moved later by the gap, as java.time
        assertThat(parse("iso8601", "Europe/Berlin", "2026-03-29 02:30:00")).isEqualTo(at("2026-03-29T02:30:00", "Europe/Berlin"));
    }

    @Test
    void iso8601RejectsPartialAndImpossibleDates() {
        assertThat(parse("iso8601", null, "2026-12-03 only a date")).isEqualTo(NO);
        assertThat(parse("iso8601", null, "2026-12-03T05")).isEqualTo(NO);
        assertThat(parse("iso8601", null, "2026-12")).isEqualTo(NO);
        assertThat(parse("iso8601", null, "2026-13-03T05:12:51Z")).isEqualTo(NO);
        assertThat(parse("iso8601", null, "2026-02-30T05:12:51Z")).isEqualTo(NO);
        assertThat(parse("iso8601", null, "2026-12-03T24:00:00Z")).isEqualTo(NO);
        assertThat(parse("iso8601", null, "2026-12-03T05:61:00Z")).isEqualTo(NO);
        assertThat(parse("iso8601", null, "2026-12-03X05:12:51Z")).isEqualTo(NO);
        assertThat(parse("iso8601", null, "20261203T051251Z")).isEqualTo(NO);
        assertThat(parse("iso8601", null, "1969-12-31T23:59:59Z")).isEqualTo(NO); // before the epoch: no bucket time
        assertThat(parse("iso8601", null, "")).isEqualTo(NO);
    }

    @Test
    void leapDays() {
        assertThat(parse("iso8601", null, "2028-02-29T12:00:00Z")).isEqualTo(utc("2028-02-29T12:00:00Z"));
        assertThat(parse("iso8601", null, "2027-02-29T12:00:00Z")).isEqualTo(NO);
        assertThat(parse("iso8601", null, "2000-02-29T12:00:00Z")).isEqualTo(utc("2000-02-29T12:00:00Z"));
        assertThat(parse("iso8601", null, "2100-02-29T12:00:00Z")).isEqualTo(NO);
        assertThat(parse("clf", null, "1.2.3.4 - - [29/Feb/2028:23:59:59 +0000] \"GET /\"")).isEqualTo(utc("2028-02-29T23:59:59Z"));
        assertThat(parse("clf", null, "1.2.3.4 - - [29/Feb/2027:23:59:59 +0000] \"GET /\"")).isEqualTo(NO);
        // syslog has no year: a Feb 29 read in a non-leap year is from the leap year before
        assertThat(parse("syslog", null, null, "Feb 29 10:00:00 host cron[1]: x", utc("2029-03-01T00:00:00Z")))
                .isEqualTo(utc("2028-02-29T10:00:00Z"));
    }

    @Test
    void commonLogFormat() {
        String nginx = "203.0.113.7 - - [03/Dec/2026:05:12:51 +0000] \"GET /index.html HTTP/1.1\" 200 612 \"-\" \"curl/8.5.0\"";
        assertThat(parse("clf", null, nginx)).isEqualTo(utc("2026-12-03T05:12:51Z"));
        assertThat(parse("clf", null, "host - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326"))
                .isEqualTo(utc("2000-10-10T20:55:36Z"));
        assertThat(parse("clf", "Europe/Berlin", "x [03/Dec/2026:05:12:51] y")).isEqualTo(at("2026-12-03T05:12:51", "Europe/Berlin"));
        assertThat(parse("clf", null, "x [03/Dek/2026:05:12:51 +0000] y")).isEqualTo(NO);
        assertThat(parse("clf", null, "x [32/Dec/2026:05:12:51 +0000] y")).isEqualTo(NO);
        assertThat(parse("clf", null, "x [03/Dec/2026:05:12")).isEqualTo(NO);
        assertThat(parse("clf", null, "x [03/Dec/2026:05:12:51 +00] y")).isEqualTo(NO);
        assertThat(parse("clf", null, "no brackets 03/Dec/2026:05:12:51 +0000")).isEqualTo(NO);
    }

    @Test
    void syslogTakesTheYearFromTheReadTime() {
        assertThat(parse("syslog", null, "Dec  3 05:12:51 web-1 sshd[811]: Accepted publickey")).isEqualTo(utc("2026-12-03T05:12:51Z"));
        assertThat(parse("syslog", null, "Dec 03 05:12:51 web-1 x")).isEqualTo(utc("2026-12-03T05:12:51Z"));
        assertThat(parse("syslog", null, "<34>Oct 11 22:14:15 mymachine su: 'su root' failed")).isEqualTo(utc("2026-10-11T22:14:15Z"));
        assertThat(parse("syslog", "America/New_York", "Jul  4 12:00:00 h x")).isEqualTo(utc("2026-07-04T16:00:00Z"));
        // a December line read on January 2nd is from the year before
        long jan2 = utc("2027-01-02T00:10:00Z");
        assertThat(parse("syslog", null, null, "Dec 31 23:59:59 h x", jan2)).isEqualTo(utc("2026-12-31T23:59:59Z"));
        // up to a day in the future stays in the read year (clocks disagree a little)
        assertThat(parse("syslog", null, null, "Dec  3 20:00:00 h x", READ)).isEqualTo(utc("2026-12-03T20:00:00Z"));
        assertThat(parse("syslog", null, null, "Dec  5 20:00:00 h x", READ)).isEqualTo(utc("2025-12-05T20:00:00Z"));
        // Feb 29: in the read year if it is a leap year, else the year before if that one is, else no time
        assertThat(parse("syslog", null, null, "Feb 29 10:00:00 h x", utc("2028-03-01T00:00:00Z"))).isEqualTo(utc("2028-02-29T10:00:00Z"));
        assertThat(parse("syslog", null, null, "Feb 29 10:00:00 h x", utc("2027-03-01T00:00:00Z"))).isEqualTo(NO);
        assertThat(parse("syslog", null, null, "Dec  3 05:12:51 h x", 0)).isEqualTo(NO); // no read time: no year
        assertThat(parse("syslog", null, "Dec 3 05:12:51 h x")).isEqualTo(NO); // one space, one digit: not RFC 3164
        assertThat(parse("syslog", null, "Foo  3 05:12:51 h x")).isEqualTo(NO);
        assertThat(parse("syslog", null, "Dec  3 25:12:51 h x")).isEqualTo(NO);
        assertThat(parse("syslog", null, "Dec  0 05:12:51 h x")).isEqualTo(NO);
        assertThat(parse("syslog", null, "<999999>Dec  3 05:12:51 h x")).isEqualTo(NO);
    }

    @Test
    void epochSecondsAndMillis() {
        assertThat(parse("epochSeconds", null, "1764738771 GET /")).isEqualTo(1_764_738_771_000L);
        assertThat(parse("epochSeconds", null, "1764738771.25 GET /")).isEqualTo(1_764_738_771_250L);
        assertThat(parse("epochSeconds", null, "1764738771.123456 x")).isEqualTo(1_764_738_771_123L);
        assertThat(parse("epochSeconds", null, "x 1764738771")).isEqualTo(NO);
        assertThat(parse("epochSeconds", null, "0 x")).isEqualTo(NO);
        assertThat(parse("epochSeconds", null, "1234567890123 x")).isEqualTo(NO); // 13 digits: not seconds
        assertThat(parse("epochMillis", null, "1764738771123 x")).isEqualTo(1_764_738_771_123L);
        assertThat(parse("epochMillis", null, "1764738771123456 x")).isEqualTo(NO);
        assertThat(parse("epochMillis", null, "")).isEqualTo(NO);
    }

    @Test
    void autoFindsEachFormat() {
        assertThat(parse("auto", null, "2026-12-03 05:12:51,123 INFO [main] o.e.App - started")).isEqualTo(utc("2026-12-03T05:12:51.123Z"));
        assertThat(parse("auto", null, "203.0.113.7 - - [03/Dec/2026:05:12:51 +0000] \"GET / HTTP/1.1\" 200 1")).isEqualTo(utc("2026-12-03T05:12:51Z"));
        assertThat(parse("auto", null, "Dec  3 05:12:51 web-1 sshd[811]: x")).isEqualTo(utc("2026-12-03T05:12:51Z"));
        assertThat(parse("auto", null, "1764738771 x")).isEqualTo(1_764_738_771_000L);
        assertThat(parse("auto", null, "1764738771.5 x")).isEqualTo(1_764_738_771_500L);
        assertThat(parse("auto", null, "1764738771123 x")).isEqualTo(1_764_738_771_123L);
        assertThat(parse("auto", null, "{\"ts\":\"2026-12-03T05:12:51Z\"}")).isEqualTo(utc("2026-12-03T05:12:51Z"));
        assertThat(parse("auto", null, "ERROR 2026-12-03T05:12:51Z something")).isEqualTo(utc("2026-12-03T05:12:51Z"));
        assertThat(parse("auto", null, "\tat com.example.Foo.bar(Foo.java:42)")).isEqualTo(NO);
        assertThat(parse("auto", null, "12345 not a time")).isEqualTo(NO);
        assertThat(parse("auto", null, "")).isEqualTo(NO);
        // only the first 128 bytes are looked at
        assertThat(parse("auto", null, "x".repeat(130) + " 2026-12-03T05:12:51Z")).isEqualTo(NO);
        assertThat(parse("auto", null, "x".repeat(100) + " 2026-12-03T05:12:51Z")).isEqualTo(utc("2026-12-03T05:12:51Z"));
    }

    @Test
    void aPatternAtTheStartOfTheLine() {
        assertThat(parse("pattern", "dd.MM.yyyy HH:mm:ss", null, "03.12.2026 05:12:51 x", READ)).isEqualTo(utc("2026-12-03T05:12:51Z"));
        assertThat(parse("pattern", "yyyy/MM/dd HH:mm:ss.SSS", "Asia/Tokyo", "2026/12/03 05:12:51.250 x", READ))
                .isEqualTo(ZonedDateTime.of(2026, 12, 3, 5, 12, 51, 250_000_000, ZoneId.of("Asia/Tokyo")).toInstant().toEpochMilli());
        assertThat(parse("pattern", "dd MMM yyyy HH:mm:ss Z", null, "03 Dec 2026 05:12:51 +0100 x", READ)).isEqualTo(utc("2026-12-03T04:12:51Z"));
        assertThat(parse("pattern", "dd.MM.yyyy HH:mm:ss", null, "x 03.12.2026 05:12:51", READ)).isEqualTo(NO); // not at the start
        // resolved as DateTimeFormatter.ofPattern resolves (SMART): a day past the month's end is clipped
        assertThat(parse("pattern", "dd.MM.yyyy HH:mm:ss", null, "31.02.2026 05:12:51", READ)).isEqualTo(utc("2026-02-28T05:12:51Z"));
        assertThat(parse("pattern", "dd.MM.yyyy HH:mm:ss", null, "32.02.2026 05:12:51", READ)).isEqualTo(NO);
        assertThat(parse("pattern", "dd.MM.yyyy", null, "03.12.2026 x", READ)).isEqualTo(NO); // a date is not a time
    }

    @Test
    void headersTheSinkCannotUseGiveNoTimeAndNoneGivesNoParser() {
        assertThat(EventTimeParsers.create("none", null, null)).isNull();
        assertThat(EventTimeParsers.create(null, null, null)).isNull();
        assertThat(parse("sometimes", null, "2026-12-03T05:12:51Z")).isEqualTo(NO);
        assertThat(parse("iso8601", "Mars/Olympus", "2026-12-03T05:12:51Z")).isEqualTo(NO);
        assertThat(parse("pattern", null, null, "2026-12-03T05:12:51Z", READ)).isEqualTo(NO);
        assertThat(parse("pattern", "yyyy-MM-dd {{", null, "2026-12-03T05:12:51Z", READ)).isEqualTo(NO);
    }
}
