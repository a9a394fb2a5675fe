/**
 * Minute reports to ds-control (docs/protocol.md, section 19): what an agent, a router or the
 * sink counted per task and per <em>read minute</em> (the minute the agent read the lines, the
 * minute of a batch's first event time), kept for a bounded window of recent minutes
 * ({@link io.datastream.protocol.report.MinuteLedger}) and pushed to control's
 * {@code POST /api/v1/reports} by one thread per component
 * ({@link io.datastream.protocol.report.ReportSender}) until control acknowledges them.
 */
package io.datastream.protocol.report;
