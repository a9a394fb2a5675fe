/**
 * The router's minute reports to ds-control: per task and read minute (the minute of each batch's
 * first event time, when the agent read its lines), the lines and source bytes written to Kafka
 * and the lines refused by error code, and the HTTP source's events accepted, refused by reason
 * and written by each channel sink, per channel task and minute
 * ({@link io.datastream.router.report.RouterReports}). Pushed
 * by one thread, {@code ds-router-reports}.
 */
package io.datastream.router.report;
