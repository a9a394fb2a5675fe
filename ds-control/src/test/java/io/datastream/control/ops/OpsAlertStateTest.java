package io.datastream.control.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.datastream.control.ops.alert.AlertState;
import org.junit.jupiter.api.Test;

/** Every transition of the alert state machine, and which are notified. */
class OpsAlertStateTest {

    @Test
    void transitions() {
        assertThat(AlertState.INACTIVE.next(false, false)).isEqualTo(AlertState.INACTIVE);
        assertThat(AlertState.INACTIVE.next(true, false)).isEqualTo(AlertState.PENDING);
        assertThat(AlertState.INACTIVE.next(true, true)).as("for = 0").isEqualTo(AlertState.FIRING);
        assertThat(AlertState.PENDING.next(true, false)).isEqualTo(AlertState.PENDING);
        assertThat(AlertState.PENDING.next(true, true)).isEqualTo(AlertState.FIRING);
        assertThat(AlertState.PENDING.next(false, false)).as("a short breach ends quietly").isEqualTo(AlertState.INACTIVE);
        assertThat(AlertState.FIRING.next(true, true)).isEqualTo(AlertState.FIRING);
        assertThat(AlertState.FIRING.next(false, false)).isEqualTo(AlertState.RESOLVED);
        assertThat(AlertState.RESOLVED.next(false, false)).isEqualTo(AlertState.RESOLVED);
        assertThat(AlertState.RESOLVED.next(true, false)).isEqualTo(AlertState.PENDING);
    }

    @Test
    void onlyFiringAndResolvingAreNotified() {
        assertThat(AlertState.FIRING.notifiedFrom(AlertState.PENDING)).isTrue();
        assertThat(AlertState.FIRING.notifiedFrom(AlertState.INACTIVE)).isTrue();
        assertThat(AlertState.FIRING.notifiedFrom(AlertState.FIRING)).isFalse();
        assertThat(AlertState.RESOLVED.notifiedFrom(AlertState.FIRING)).isTrue();
        assertThat(AlertState.PENDING.notifiedFrom(AlertState.INACTIVE)).isFalse();
        assertThat(AlertState.INACTIVE.notifiedFrom(AlertState.PENDING)).isFalse();
    }
}
