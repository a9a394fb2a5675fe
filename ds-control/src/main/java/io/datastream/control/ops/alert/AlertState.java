package io.datastream.control.ops.alert;

import java.util.Locale;

/**
 * The state of a rule. A breach starts {@link #PENDING}; held for the rule's {@code for} duration it
 * is {@link #FIRING}; when the breach ends a pending rule goes back to {@link #INACTIVE} quietly and
 * a firing one becomes {@link #RESOLVED}. Firing and resolved are notified.
 */
public enum AlertState {
    INACTIVE, PENDING, FIRING, RESOLVED;

    /**
     * @param breaching whether the value is over the threshold now
     * @param held      whether the breach has lasted the rule's {@code for} duration
     */
    public AlertState next(boolean breaching, boolean held) {
        return switch (this) {
            case INACTIVE, RESOLVED -> breaching ? (held ? FIRING : PENDING) : this;
            case PENDING -> !breaching ? INACTIVE : held ? FIRING : PENDING;
            case FIRING -> breaching ? FIRING : RESOLVED;
        };
    }

    /** Whether moving from {@code from} to this state is notified. */
    public boolean notifiedFrom(AlertState from) {
        return (this == FIRING && from != FIRING) || (this == RESOLVED && from == FIRING);
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
