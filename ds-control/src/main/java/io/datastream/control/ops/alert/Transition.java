package io.datastream.control.ops.alert;

/** One change of a rule's state, kept as history. */
public record Transition(String ruleId, long atMs, AlertState from, AlertState to, double value, String message) {
}
