package io.datastream.control.ops.alert;

/**
 * Where a rule stands.
 *
 * @param state          its state
 * @param sinceMs        when it entered that state
 * @param value          the value at the last evaluation
 * @param message        what the last evaluation saw
 * @param silencedUntilMs notifications are held back until then (0 = not silenced)
 */
public record RuleStatus(AlertState state, long sinceMs, double value, String message, long silencedUntilMs) {
    public static RuleStatus initial(long now) {
        return new RuleStatus(AlertState.INACTIVE, now, 0, "", 0);
    }
}
