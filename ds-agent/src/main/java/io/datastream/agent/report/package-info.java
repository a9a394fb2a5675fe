/**
 * The agent's minute reports to ds-control: lines and bytes read per task and read minute (the
 * minute of each batch's first event time, which is when the tailer read its lines), acknowledged
 * and dropped, with the backlog and read lag at the end of each minute
 * ({@link io.datastream.agent.report.AgentReports}). Pushed by one thread, {@code ds-agent-reports}.
 */
package io.datastream.agent.report;
