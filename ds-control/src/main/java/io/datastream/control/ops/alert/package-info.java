/**
 * User-defined alerts: rules ({@link io.datastream.control.ops.alert.AlertRule}) stored in the
 * metrics database, evaluated by one scheduler thread ({@link io.datastream.control.ops.alert.AlertScheduler})
 * against the counts store and the live agents, moving through
 * {@link io.datastream.control.ops.alert.AlertState} with history, and notified to webhooks and the
 * log ({@link io.datastream.control.ops.alert.Notifier}).
 */
package io.datastream.control.ops.alert;
