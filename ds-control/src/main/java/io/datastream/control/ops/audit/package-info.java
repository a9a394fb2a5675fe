/**
 * The tier-by-tier count audit: for a task and each minute, lines read by agents = acknowledged
 * to them = written to Kafka by routers = committed by the sink, judged once the minute is final
 * ({@code audit.finalityMs}). Counted drops are shown apart: they are not losses.
 */
package io.datastream.control.ops.audit;
