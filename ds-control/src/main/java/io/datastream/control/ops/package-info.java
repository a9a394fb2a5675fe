/**
 * The operations plane: per-minute counts reported by every tier ({@code store}), the
 * tier-by-tier reconciliation built on them ({@code audit}) and user-defined alerts
 * ({@code alert}).
 */
package io.datastream.control.ops;
