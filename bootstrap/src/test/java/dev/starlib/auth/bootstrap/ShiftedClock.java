package dev.starlib.auth.bootstrap;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The real time, shifted by an amount a test sets: to put traffic into earlier minutes of the last hour. */
final class ShiftedClock extends Clock {

    private volatile Duration shift = Duration.ZERO;

    void shiftBy(Duration newShift) {
        shift = newShift;
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(shift);
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
