/**
 * The per-minute counts store: an embedded SQLite database (WAL mode) written by one thread fed
 * through a bounded queue ({@link io.datastream.control.ops.store.StoreWriter}), with a versioned
 * schema ({@link io.datastream.control.ops.store.Schema}), retention and roll-up to hours
 * ({@link io.datastream.control.ops.store.Retention}) and series queries
 * ({@link io.datastream.control.ops.store.SeriesQuery}). {@link io.datastream.control.ops.store.OpsStore}
 * is the entry point, also for in-process feeds (standalone).
 */
package io.datastream.control.ops.store;
