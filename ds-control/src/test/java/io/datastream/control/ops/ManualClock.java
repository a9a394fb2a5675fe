package io.datastream.control.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when a test moves it. */
public final class ManualClock extends Clock {
    private final AtomicLong millis;

    public ManualClock(Instant start) {
        this.millis = new AtomicLong(start.toEpochMilli());
    }

    /** At the start of epoch minute {@code minute}. */
    public static ManualClock atMinute(long minute) {
        return new ManualClock(Instant.ofEpochSecond(minute * 60));
    }

    public void advance(Duration d) {
        millis.addAndGet(d.toMillis());
    }

    public long minute() {
        return Math.floorDiv(millis.get(), 60_000L);
    }

    @Override
    public long millis() {
        return millis.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
